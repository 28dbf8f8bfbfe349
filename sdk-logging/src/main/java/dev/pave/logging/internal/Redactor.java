package dev.pave.logging.internal;

import dev.pave.config.Credentials;
import dev.pave.config.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials and card numbers in log text.
 *
 * <p>Built-in rules (each guarded by a cheap pre-check so that ordinary messages pay one scan):
 * {@code Authorization} values and bearer tokens, {@code password=}-style pairs (also quoted and
 * JSON forms), user info in URLs ({@code https://user:pass@host}), and card numbers: 13 to 19
 * digits, optionally grouped by single spaces or dashes, starting with 2-6 (every issuer range)
 * and passing the Luhn check; all digits but the last four are masked. Extra patterns mask each
 * capturing group they define, or the whole match when they define none.
 *
 * <p>Written by hand: no maintained library redacts log text with Luhn-checked PANs; Logback and
 * logstash-logback-encoder only offer per-field masking without validation.
 *
 * <p>Immutable and thread-safe.
 */
public final class Redactor {

  /** The text that replaces a secret value. */
  public static final String MASK = Secret.MASK;

  private static final Redactor DISABLED = new Redactor(false, List.of());

  // Keys whose value is masked in messages ("password=x"): sdk-config's one credential list
  // (Credentials.NAMES), but Authorization, which has its own rule below (its value has a scheme
  // word before the secret: "Bearer abc" would otherwise lose only "Bearer").
  private static final String SENSITIVE_KEY = "(?:" + Credentials.namesPattern("authorization") + ")";
  // MDC and key-value names whose value is always masked.
  // Plural and short forms too, as services name such fields (security report D8: secrets,
  // cookies, tokens, auth, session, jwt were written in clear).
  private static final Pattern SENSITIVE_NAME =
      Pattern.compile("(?i)(?:" + SENSITIVE_KEY + "|authorization|cookies?|secrets|tokens|auth|session)$");

  // "Authorization: Bearer abc", "authorization=Basic abc", "\"Authorization\":\"Bearer abc\"".
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "(?i)\\b(?:proxy-)?authorization\\\\?[\"']?\\s*[:=]\\s*\\\\?[\"']?\\[?"
              + "(?:(?:bearer|basic|digest|negotiate|token|apikey)\\s+)?"
              + "([^\\s\"'\\\\,;&}\\]]+)");
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\bbearer[\\s\u00a0:=]+([A-Za-z0-9\\-._~+/]+=*)");
  // key=value / key: value / "key":"value" / key='value with spaces'; "db_password=" matches
  // through its "password" suffix. No leading [\w]* on purpose: it would make find() quadratic.
  // Also "key" => "value" and a bracketed list as SLF4J prints a char[] argument: [h, u, n, t]
  // (security report D8, c55, c73); "pass=" and "pw=" only as whole words (c59, c60), since as
  // suffixes they would catch "bypass=". The "=" may be URL- or JSON-escaped (%3D, \u003d; c64,
  // c76), and a quote may be left open (c71).
  //
  // Where a value ends (security report c53, c54, c65, c66, c74): a quoted value runs to its
  // closing quote, past escaped quotes ({"password":"abc\"x"}); an unquoted value runs to the end
  // of the line, or to the next "name=" / "name:" pair after a space, ',' or ';', or to '&', '"',
  // '}' or ']'. So "password=abc def" and "password=abc;def" are masked whole, and
  // "password=x user=bob" keeps "user=bob"; the price is that prose after an unquoted password
  // ("password=x from 10.0.0.1") is masked too: a value with a space cannot be told from the words
  // that follow it, and Pave errs on the side of masking.
  private static final Pattern PAIR =
      Pattern.compile(
          "(?i)(?:" + SENSITIVE_KEY + "|\\bpass|\\bpw)"
              + "\\\\?[\"']?\\s*(?:=>|[:=]|%3d|\\\\u003d)\\s*(?:\\\\\"([^\"\\\\]*)\\\\\""
              + "|\"((?:[^\"\\\\\\r\\n]|\\\\.)*)\"|'([^'\\r\\n]*)'|\\[([^\\]]*)\\]"
              + "|\"([^\"\\\\\\s,;&}\\]]+)"
              + "|([^\\s\"'&}\\]](?:[^\"'\\r\\n&}\\]]*?(?=[\\s,;]+[\\w.-]{1,64}\\s?(?:[:=]|%3d)|\\s*[\"'\\r\\n&}\\]]|\\s*$))?))");
  // Cookie and Set-Cookie header values, to the end of the line (c42).
  private static final Pattern COOKIE = Pattern.compile("(?i)\\b(?:set-)?cookie\\s*:\\s*([^\\r\\n]+)");
  // <password>x</password>, <db_password>x</db_password> (c56).
  private static final Pattern XML_ELEMENT =
      Pattern.compile("(?i)<[\\w.-]{0,40}?" + SENSITIVE_KEY + ">([^<]{0,4096})<");
  // The body of a PEM private key (c70), up to its END line or the end of the text.
  private static final Pattern PEM_PRIVATE_KEY =
      Pattern.compile("-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----([A-Za-z0-9+/=\\s]+?)(?:-----END|$)");
  // Starts with the literal "://" so that find() skips ahead (Boyer-Moore) instead of trying
  // every position.
  // The user may be empty: redis://:pw@host (security report D8).
  // The password may hold a '/' (c62).
  // The password may hold an '@' (c63): it runs to the last '@' before the host, the '@' after
  // which no other '@' comes before the path, query, fragment or end.
  private static final Pattern URL_USER_INFO =
      Pattern.compile("://[^\\s:/@]*:([^\\s]+?)@(?=[^\\s@/?#]*(?:[/?#\\s]|$))");
  // Issuer ranges all start with 2-6; excluding 0, 1, 7-9 keeps epoch millis and most ids out.
  // Digits may be grouped by up to three separators of one kind or another: space, dash, dot,
  // underscore, slash, tab, NBSP (security report D8: "4111.1111.1111.1111" came through a field).
  // Full-width digits (U+FF10-FF19) count as digits, and zero-width characters as separators
  // (c10, c11): both display as a card number.
  private static final String DIGIT = "[0-9\uff10-\uff19]";
  private static final Pattern PAN =
      Pattern.compile("(?<!" + DIGIT + ")[2-6\uff12-\uff16](?:[ \\-._/\\t\u00a0\u200b\u200c\u200d\u2060\ufeff]{0,3}"
          + DIGIT + "){12,18}(?!" + DIGIT + ")");
  // Prose (c57, c80): "the password is x", "db password 'x'". A word after "is"/"was" that says
  // something about the credential rather than being it ("password is required") is kept.
  private static final Pattern PROSE =
      Pattern.compile("(?i)(?:" + SENSITIVE_KEY + ")\\s+(?:(?:is|was)\\s+(?!(?:not|no|now|required|invalid|incorrect"
          + "|wrong|missing|empty|blank|null|none|expired|too|set|unset|correct|valid|changed|reset|ok|being|still"
          + "|rotated|mandatory|optional|configured|present|absent)\\b)(?:'([^'\\r\\n]*)'|\"([^\"\\r\\n]*)\"|([^\\s,;.]+))"
          + "|'([^'\\r\\n]+)'|\"([^\"\\r\\n]+)\")");

  // A cheap pre-check before the patterns (mayContainKeyword): every credential name contains one
  // of "pass", "pw", "secret", "token", "key", "auth", "credential", "cookie", "session", "hmac",
  // "jwt" (CredentialsTest and RedactorTest hold the list to it).
  private static final int NAME_CACHE_LIMIT = 4096;
  /** Format characters (zero-width space and joiners, BOM) that can hide a field name. */
  private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}");
  /** '_' or '-' between two letters, as in "pass_word". */
  private static final Pattern WORD_SEPARATORS = Pattern.compile("(?<=\\p{L})[_-](?=\\p{L})");

  private final boolean enabled;
  private final List<Pattern> extra;
  private final Map<String, Boolean> sensitiveNames = new ConcurrentHashMap<>();

  private Redactor(boolean enabled, List<Pattern> extra) {
    this.enabled = enabled;
    this.extra = List.copyOf(extra);
  }

  /** A redactor with the built-in rules and {@code extraPatterns} (already validated regexes). */
  public static Redactor create(List<String> extraPatterns) {
    Objects.requireNonNull(extraPatterns, "extraPatterns");
    List<Pattern> compiled = new ArrayList<>(extraPatterns.size());
    for (String regex : extraPatterns) {
      compiled.add(Pattern.compile(regex));
    }
    return new Redactor(true, compiled);
  }

  /** A redactor that returns its input unchanged (Secrets are still masked by the encoders). */
  public static Redactor disabled() {
    return DISABLED;
  }

  /** Whether pattern redaction is on. */
  public boolean enabled() {
    return enabled;
  }

  /** Whether a field name (MDC key, key-value key) names a credential, so its value is masked. */
  public boolean isSensitiveName(String name) {
    if (!enabled || name == null) {
      return false;
    }
    // Field names repeat on every line: remember the answer for the first NAME_CACHE_LIMIT names.
    Boolean known = sensitiveNames.get(name);
    if (known != null) {
      return known;
    }
    // A trailing space or an invisible character must not hide a name ("password ", "password\u200b").
    String plain = INVISIBLE.matcher(name.strip()).replaceAll("");
    // Also with the separators inside words taken out: "pass_word", "pass-word" (c116).
    boolean sensitive = mayContainKeyword(plain) && (SENSITIVE_NAME.matcher(plain).find()
        || SENSITIVE_NAME.matcher(WORD_SEPARATORS.matcher(plain).replaceAll("")).find());
    if (sensitiveNames.size() < NAME_CACHE_LIMIT) {
      sensitiveNames.put(name, sensitive);
    }
    return sensitive;
  }

  private static boolean containsIgnoreCase(String text, String lowerCaseWord) {
    char first = lowerCaseWord.charAt(0);
    char upper = Character.toUpperCase(first);
    for (int i = text.indexOf(first); i >= 0; i = text.indexOf(first, i + 1)) {
      if (text.regionMatches(true, i, lowerCaseWord, 0, lowerCaseWord.length())) {
        return true;
      }
    }
    for (int i = text.indexOf(upper); i >= 0; i = text.indexOf(upper, i + 1)) {
      if (text.regionMatches(true, i, lowerCaseWord, 0, lowerCaseWord.length())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns {@code text} with every credential and card number masked; the same instance when
   * nothing matched. {@code null} stays {@code null}.
   */
  public String redact(String text) {
    if (!enabled || text == null || text.isEmpty()) {
      return text;
    }
    // One pass of cheap pre-checks decides which rules can match at all: pairs and Authorization
    // need ':' or '=', bearer tokens a 'b', URLs "://", card numbers 13 digits.
    int digits = 0;
    boolean assignment = false;
    boolean letterB = false;
    boolean url = false;
    boolean xmlOpen = false;
    boolean pem = false;
    boolean quote = false;
    boolean verb = false; // a whitespace-delimited "is" or "was"
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= 'c' && c <= 'z' || c == 'a' || c >= 'C' && c <= 'Z' || c == 'A') {
        continue; // most characters are letters; only 'b' matters here
      }
      if ((c >= '0' && c <= '9') || (c >= '\uff10' && c <= '\uff19')) {
        digits++;
      } else if (c == '<') {
        xmlOpen = true;
      } else if (c == '-') {
        pem |= text.startsWith("-----BEGIN ", i);
      } else if (c == '=' || c == '%' || c == '\\') {
        assignment = true; // '=', or an escaped one: %3D, \u003d
      } else if (c == ':') {
        assignment = true;
        url |= text.startsWith("//", i + 1);
      } else if (c == 'b' || c == 'B') {
        letterB = true;
      } else if (c == '\'' || c == '"') {
        quote = true;
      } else if (!verb && isRegexSpace(c)) {
        verb = verbAt(text, i + 1, "is") || verbAt(text, i + 1, "was");
      }
    }
    String result = text;
    if (pem && result.contains("PRIVATE KEY-----")) {
      result = maskGroups(PEM_PRIVATE_KEY, result); // before the pairs, which would eat its BEGIN line
    }
    // One keyword scan serves the three rules that need a credential word (each of their matches
    // holds one). Masking only replaces values with "******" and never adds a keyword, so where the
    // text has none no result has any; where it has one, a rule may run and find nothing.
    // The three rules need an assignment, an XML element or prose (a quote, "is" or "was") as
    // well: without one of them the keyword scan is skipped too (most values and messages).
    boolean prose = quote || verb;
    boolean keyword = (assignment || xmlOpen || prose) && mayContainKeyword(text);
    if (assignment && keyword) {
      result = maskGroups(AUTHORIZATION, result);
      result = maskGroups(COOKIE, result);
      result = maskGroups(PAIR, result);
    }
    if (keyword && prose) {
      result = maskGroups(PROSE, result);
    }
    if (xmlOpen && keyword) {
      result = maskGroups(XML_ELEMENT, result);
    }
    if (letterB && containsIgnoreCase(result, "bearer")) {
      result = maskGroups(BEARER, result);
    }
    if (url) {
      result = maskGroups(URL_USER_INFO, result);
    }
    if (digits >= 13) {
      result = maskPans(result);
    }
    for (Pattern pattern : extra) {
      result = maskGroups(pattern, result);
    }
    return result;
  }

  /** Masks the capturing groups of each match, or the whole match if the pattern has none. */
  private static String maskGroups(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    int groups = matcher.groupCount();
    do {
      if (groups == 0) {
        out.append(text, copied, matcher.start()).append(MASK);
        copied = matcher.end();
      } else {
        for (int group = 1; group <= groups; group++) {
          int start = matcher.start(group);
          if (start < 0 || start < copied) {
            continue; // group did not participate, or nested in one already masked
          }
          out.append(text, copied, start).append(MASK);
          copied = matcher.end(group);
        }
      }
    } while (matcher.find());
    out.append(text, copied, text.length());
    return out.toString();
  }

  private static String maskPans(String text) {
    Matcher matcher = PAN.matcher(text);
    StringBuilder out = null;
    int copied = 0;
    while (matcher.find()) {
      int start = matcher.start();
      int end = matcher.end();
      if (!passesLuhn(text, start, end)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, copied, start);
      int digitsLeft = countDigits(text, start, end);
      for (int i = start; i < end; i++) {
        char c = text.charAt(i);
        if (isDigit(c)) {
          out.append(digitsLeft-- > 4 ? '*' : c);
        } else {
          out.append(c);
        }
      }
      copied = end;
    }
    if (out == null) {
      return text;
    }
    out.append(text, copied, text.length());
    return out.toString();
  }

  /** The Luhn (mod 10) check over the digits in {@code text[start, end)}. */
  static boolean passesLuhn(CharSequence text, int start, int end) {
    int sum = 0;
    boolean doubleIt = false;
    for (int i = end - 1; i >= start; i--) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        continue;
      }
      int digit = c >= '\uff10' ? c - '\uff10' : c - '0';
      if (doubleIt) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubleIt = !doubleIt;
    }
    return sum % 10 == 0;
  }

  private static int countDigits(String text, int start, int end) {
    int count = 0;
    for (int i = start; i < end; i++) {
      if (isDigit(text.charAt(i))) {
        count++;
      }
    }
    return count;
  }

  /** An ASCII or a full-width digit. */
  private static boolean isDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= '\uff10' && c <= '\uff19');
  }

  // PROSE can match only where the text has a quote or a whitespace-delimited "is"/"was" after
  // the credential word. The pattern starts with an alternation of names, which the regex engine
  // tries at every position: run on every message with a keyword ("authorized payment ...") it
  // cost about 4 us per line (EncoderCpuTime, docs/benchmarks.md); the pre-scan above costs nothing.

  /** {@code verb} (any case) at {@code at}, followed by regex whitespace. */
  private static boolean verbAt(String text, int at, String verb) {
    int end = at + verb.length();
    return end < text.length() && text.regionMatches(true, at, verb, 0, verb.length()) && isRegexSpace(text.charAt(end));
  }

  /** {@code \s} of java.util.regex without UNICODE_CHARACTER_CLASS. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  // One pass with regionMatches only at candidate first letters: the common message without
  // any keyword never reaches the regexes.
  private static boolean mayContainKeyword(String text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      char lower = c < 128 ? (char) (c | 0x20) : Character.toLowerCase(c);
      // The keywords by first letter, without a loop over all of them per letter.
      boolean found = switch (lower) {
        case 'p' -> at(text, i, "pass") || at(text, i, "pw");
        case 's' -> at(text, i, "secret") || at(text, i, "session");
        case 't' -> at(text, i, "token");
        case 'k' -> at(text, i, "key");
        case 'a' -> at(text, i, "auth");
        case 'c' -> at(text, i, "credential") || at(text, i, "cookie");
        case 'h' -> at(text, i, "hmac");
        case 'j' -> at(text, i, "jwt");
        default -> false;
      };
      if (found) {
        return true;
      }
    }
    return false;
  }

  private static boolean at(String text, int index, String keyword) {
    return text.regionMatches(true, index, keyword, 0, keyword.length());
  }

  @Override
  public String toString() {
    return "Redactor[enabled=" + enabled + ", extraPatterns=" + extra.size() + "]";
  }
}
