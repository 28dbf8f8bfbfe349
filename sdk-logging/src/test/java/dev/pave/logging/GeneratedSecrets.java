package dev.pave.logging;

import dev.pave.config.Credentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated log messages that each carry one secret (issue 16, item 1): a Luhn-valid card number
 * of 13-19 digits with a random issuer digit (2-6), random grouping and separators, in random
 * surroundings; or a credential pair with a random name from sdk-config's credential list (plus
 * {@code pass} and {@code pw}), random case and prefix, a random assignment form and a random
 * value. Deterministic for a seed, so a failure can be replayed.
 */
public final class GeneratedSecrets {

  /** One message and the plaintext that must not reach any output. */
  public record Case(String message, String plaintext) {}

  private static final String[] SEPARATORS = {"", " ", "-", ".", "_", "/", "\t", "\u00a0", "  ", " - "};
  private static final String[] BEFORE = {"", "card ", "pan=", "{\"pan\":\"", "x", "(", "ref ", "paid with "};
  private static final String[] AFTER = {"", ".", ")", "\"}", " ok", ",", "!"};
  private static final String[] NAME_PREFIXES = {"", "db_", "x-", "client_", "aws_", "app."};
  private static final String[] ASSIGNMENTS = {"=", ": ", " = ", "=>", " => ", "\":\"", "='"};
  private static final String VALUE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private GeneratedSecrets() {}

  /** {@code count} cases from {@code seed}. */
  public static List<Case> cases(long seed, int count) {
    Random random = new Random(seed);
    List<String> names = new ArrayList<>();
    for (String name : Credentials.NAMES) {
      if (!name.equals("authorization")) { // its value is "scheme token": its own rule and test
        names.add(name);
      }
    }
    names.add("pass");
    names.add("pw");
    List<Case> cases = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cases.add(random.nextBoolean() ? pan(random) : pair(random, names));
    }
    return cases;
  }

  private static Case pan(Random random) {
    int length = 13 + random.nextInt(7);
    StringBuilder digits = new StringBuilder().append((char) ('2' + random.nextInt(5)));
    while (digits.length() < length - 1) {
      digits.append((char) ('0' + random.nextInt(10)));
    }
    digits.append(luhnCheckDigit(digits));
    String separator = SEPARATORS[random.nextInt(SEPARATORS.length)];
    StringBuilder grouped = new StringBuilder();
    for (int at = 0; at < digits.length(); at += 4) {
      if (at > 0) {
        grouped.append(separator);
      }
      grouped.append(digits, at, Math.min(at + 4, digits.length()));
    }
    String message = BEFORE[random.nextInt(BEFORE.length)] + grouped + AFTER[random.nextInt(AFTER.length)];
    // What must not appear: the first 12 digits, contiguous, as written.
    return new Case(message, grouped.substring(0, grouped.length() - 4));
  }

  private static Case pair(Random random, List<String> names) {
    String name = names.get(random.nextInt(names.size()));
    name = switch (random.nextInt(3)) {
      case 0 -> name.toUpperCase(java.util.Locale.ROOT);
      case 1 -> name.replace('-', '_');
      default -> name;
    };
    String full = NAME_PREFIXES[random.nextInt(NAME_PREFIXES.length)] + name;
    if (name.equals("pass") || name.equals("pw") || name.equals("PASS") || name.equals("PW")) {
      full = name; // whole words only: "db_pass" is not a credential name
    }
    StringBuilder value = new StringBuilder("Zq9");
    for (int i = 0, n = 8 + random.nextInt(13); i < n; i++) {
      value.append(VALUE_CHARS.charAt(random.nextInt(VALUE_CHARS.length())));
    }
    String assignment = ASSIGNMENTS[random.nextInt(ASSIGNMENTS.length)];
    String close = assignment.endsWith("\"") ? "\"" : assignment.endsWith("'") ? "'" : "";
    String open = assignment.endsWith("\"") ? "{\"" : "";
    String message = "request " + open + full + assignment + value + close + (open.isEmpty() ? "" : "}") + " sent";
    return new Case(message, value.toString());
  }

  private static char luhnCheckDigit(CharSequence partial) {
    int sum = 0;
    boolean twice = true; // the check digit will be appended: the last digit here is doubled
    for (int i = partial.length() - 1; i >= 0; i--) {
      int d = partial.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }
}
