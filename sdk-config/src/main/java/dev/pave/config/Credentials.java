package dev.pave.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one list of what counts as a credential, by name and by value: {@code /config} masks what
 * it matches, and sdk-logging's redaction masks values under the same names. Kept here, in the
 * module both depend on, so that the two cannot drift (security report D12: {@code /config}
 * showed {@code *_SIGNING_KEY}, {@code *_HMAC}, a webhook URL's password... in clear).
 */
public final class Credentials {

  /**
   * Names whose value is a credential, matched as the end of a key or field name, ignoring case
   * and the separators {@code -}, {@code _} and {@code .} ({@code payments.signing-key},
   * {@code PAYMENTS_SIGNING_KEY}, {@code signingKey}). Multi-word names are written with
   * {@code -}.
   */
  public static final List<String> NAMES = List.of(
      "password", "passwd", "pwd", "passphrase", "secret", "token",
      "api-key", "access-key", "secret-key", "private-key", "signing-key", "credential",
      "credentials", "hmac", "authorization", "basic-auth", "session-id", "jwt");

  /** {@link #NAMES} without case or separators, as {@link #isCredentialName} compares them. */
  private static final List<String> NORMALIZED_NAMES = NAMES.stream().map(Credentials::normalize).toList();

  // scheme://user:password@ (the user may be empty: redis://:pw@host)
  private static final Pattern URL_PASSWORD = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s/:@]*:[^\\s/@]+@");
  private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)^(?:bearer|basic|digest|token)[\\s_:=]+\\S");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.");
  private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9+/=_-]{24,}");

  private Credentials() {}

  /** Whether {@code name} ends with one of {@link #NAMES}, ignoring case and separators. */
  public static boolean isCredentialName(String name) {
    String normalized = normalize(name);
    for (String credential : NORMALIZED_NAMES) {
      if (normalized.endsWith(credential)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code value} looks like a credential whatever its name: a URL with a password in it,
   * an {@code Authorization} value ({@code Bearer ...}, {@code Basic ...}), a PEM key, a JWT, or
   * a token-like string (24 or more characters of {@code [A-Za-z0-9+/=_-]} with an upper-case
   * letter, a lower-case letter and a digit, as API keys and secrets are; hosts, paths,
   * durations and class names never are: they have {@code .} or {@code :} or one case only).
   */
  public static boolean looksLikeCredential(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    return URL_PASSWORD.matcher(value).find()
        || AUTH_SCHEME.matcher(value).find()
        || value.contains("-----BEGIN")
        || JWT.matcher(value).find()
        || isTokenLike(value);
  }

  /**
   * {@link #NAMES} but {@code except} as a regular-expression alternation (no flags, no group),
   * each {@code -} between words matching an optional {@code -}, {@code _} or {@code .}.
   */
  public static String namesPattern(String... except) {
    List<String> excluded = List.of(except);
    StringBuilder out = new StringBuilder();
    for (String name : NAMES) {
      if (!excluded.contains(name)) {
        out.append(out.length() == 0 ? "" : "|").append(Pattern.quote(name).replace("-", "\\E[-_.]?\\Q"));
      }
    }
    return out.toString();
  }

  private static boolean isTokenLike(String value) {
    if (!TOKEN_LIKE.matcher(value).matches()) {
      return false;
    }
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    return upper && lower && digit;
  }

  private static String normalize(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '-' && c != '_' && c != '.') {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
