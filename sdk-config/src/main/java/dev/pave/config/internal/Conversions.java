package dev.pave.config.internal;

import dev.pave.config.DataSize;
import dev.pave.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Converts configuration text to the supported scalar types. */
public final class Conversions {

  private static final Pattern DURATION = Pattern.compile("\\s*(-?\\d+(?:\\.\\d+)?)\\s*([a-zA-Zµ]*)\\s*");

  private Conversions() {}

  /** Thrown when text does not convert; the message says what was expected, never the value. */
  public static final class InvalidValue extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidValue(String expectation) {
      super(expectation);
    }
  }

  /** Whether {@code type} is a scalar this class converts. */
  public static boolean isScalar(Class<?> type) {
    return type == String.class || type == Integer.class || type == int.class || type == Long.class
        || type == long.class || type == Boolean.class || type == boolean.class || type == Double.class
        || type == double.class || type == Duration.class || type == DataSize.class
        || type == URI.class || type == Path.class || type.isEnum();
  }

  /**
   * Converts {@code text} to {@code type}.
   *
   * @throws InvalidValue with a message starting "expected ..." that does not contain the text
   * @throws IllegalArgumentException if the type is not supported
   */
  private static Duration fractional(java.math.BigDecimal amount, String unit) {
    long nanosPerUnit = switch (unit.toLowerCase(Locale.ROOT)) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      case "d" -> 86_400_000_000_000L;
      default -> throw new InvalidValue("expected a duration such as 250ms, 5s, 1m or ISO-8601 PT5S (unknown unit '"
          + unit + "'; known units: ns, us, ms, s, m, h, d)");
    };
    try {
      return Duration.ofNanos(amount.multiply(java.math.BigDecimal.valueOf(nanosPerUnit)).longValueExact());
    } catch (ArithmeticException e) {
      throw new InvalidValue("expected a duration such as 250ms, 1.5s, 1m or ISO-8601 PT5S (finer than a nanosecond,"
          + " or too large)");
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <T> T convert(String text, Class<T> type) {
    Object result;
    if (type == String.class) {
      result = text;
    } else if (type == Integer.class || type == int.class) {
      result = parseNumber(text, "an integer (32-bit), e.g. 8080", Integer::valueOf);
    } else if (type == Long.class || type == long.class) {
      result = parseNumber(text, "an integer (64-bit), e.g. 10000000000", Long::valueOf);
    } else if (type == Double.class || type == double.class) {
      result = parseNumber(text, "a decimal number, e.g. 0.25", Double::valueOf);
    } else if (type == Boolean.class || type == boolean.class) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (!t.equals("true") && !t.equals("false")) {
        throw new InvalidValue("expected a boolean: true or false");
      }
      result = Boolean.valueOf(t);
    } else if (type == Duration.class) {
      result = parseDuration(text);
    } else if (type == DataSize.class) {
      try {
        result = DataSize.parse(text);
      } catch (IllegalArgumentException e) {
        throw new InvalidValue("expected a data size such as 512KiB, 4MiB or 100B (units B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)");
      }
    } else if (type == URI.class) {
      try {
        result = new URI(text.trim());
      } catch (URISyntaxException e) {
        throw new InvalidValue("expected a URI such as https://host:8443/path (" + e.getReason() + " at index " + e.getIndex() + ")");
      }
    } else if (type == Path.class) {
      try {
        result = Path.of(text.trim());
      } catch (InvalidPathException e) {
        throw new InvalidValue("expected a file system path (" + e.getReason() + ")");
      }
    } else if (type.isEnum()) {
      result = parseEnum(text, (Class<? extends Enum>) type);
    } else if (type == Secret.class) {
      throw new IllegalArgumentException("a Secret is read with Config.secret(key), not from plain configuration");
    } else {
      throw new IllegalArgumentException("unsupported configuration type " + type.getName()
          + "; supported: String, int, long, double, boolean, enums, Duration, DataSize, URI, Path, records");
    }
    return (T) result;
  }

  /** Describes what text {@code type} accepts, for "missing" messages. */
  public static String describe(Class<?> type) {
    if (type == String.class) {
      return "a string";
    } else if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    } else if (type == Double.class || type == double.class) {
      return "a decimal number";
    } else if (type == Boolean.class || type == boolean.class) {
      return "a boolean (true or false)";
    } else if (type == Duration.class) {
      return "a duration such as 250ms, 5s, 1m or PT5S";
    } else if (type == DataSize.class) {
      return "a data size such as 512KiB or 4MiB";
    } else if (type == URI.class) {
      return "a URI";
    } else if (type == Path.class) {
      return "a file system path";
    } else if (type.isEnum()) {
      return "one of " + enumNames(type);
    } else if (type == Secret.class) {
      return "a secret";
    } else if (type.isRecord()) {
      return "a " + type.getSimpleName() + " section";
    }
    return "a " + type.getSimpleName();
  }

  /**
   * Parses {@code 250ms}, {@code 5s}, {@code 1.5s}, {@code 1m}, {@code 2h}, {@code 1d}, {@code 10us},
   * {@code 100ns} or ISO-8601 ({@code PT5S}, {@code P1DT2H}). A bare number is rejected: its unit
   * would be a guess.
   */
  public static Duration parseDuration(String text) {
    String t = text.trim();
    if (t.length() > 1 && (t.charAt(0) == 'P' || t.charAt(0) == 'p' || t.startsWith("-P") || t.startsWith("-p"))) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw new InvalidValue("expected a duration such as 250ms, 5s, 1m or ISO-8601 PT5S (malformed ISO-8601 duration)");
      }
    }
    Matcher matcher = DURATION.matcher(t);
    if (!matcher.matches()) {
      throw new InvalidValue("expected a duration such as 250ms, 5s, 1m or ISO-8601 PT5S");
    }
    String unit = matcher.group(2);
    if (matcher.group(1).indexOf('.') >= 0 && !unit.isEmpty()) {
      // A fraction, as Durations.format writes one ("1.5s"): exact to the nanosecond.
      return fractional(new java.math.BigDecimal(matcher.group(1)), unit);
    }
    long amount;
    try {
      amount = Long.parseLong(matcher.group(1));
    } catch (NumberFormatException e) {
      throw new InvalidValue("expected a duration such as 250ms, 5s, 1m or ISO-8601 PT5S ("
          + (matcher.group(1).indexOf('.') >= 0 ? "a bare number has no unit" : "number too large") + ")");
    }
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "ns": return Duration.ofNanos(amount);
      case "us": case "µs": return Duration.ofNanos(Math.multiplyExact(amount, 1000L));
      case "ms": return Duration.ofMillis(amount);
      case "s": return Duration.ofSeconds(amount);
      case "m": return Duration.ofMinutes(amount);
      case "h": return Duration.ofHours(amount);
      case "d": return Duration.ofDays(amount);
      case "":
        throw new InvalidValue("expected a duration with a unit such as 250ms, 5s, 1m or ISO-8601 PT5S (a bare number has no unit)");
      default:
        throw new InvalidValue("expected a duration such as 250ms, 5s, 1m or ISO-8601 PT5S (unknown unit '" + unit
            + "'; known units: ns, us, ms, s, m, h, d)");
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object parseEnum(String text, Class<? extends Enum> type) {
    String wanted = normalizeEnum(text);
    for (Object constant : type.getEnumConstants()) {
      if (normalizeEnum(((Enum) constant).name()).equals(wanted)) {
        return constant;
      }
    }
    throw new InvalidValue("expected one of " + enumNames(type) + " (case-insensitive, '-' or '_')");
  }

  private static String normalizeEnum(String text) {
    return text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static String enumNames(Class<?> type) {
    return Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).collect(Collectors.joining(", "));
  }

  private static Object parseNumber(String text, String expectation, Function<String, Object> parser) {
    try {
      return parser.apply(text.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new InvalidValue("expected " + expectation);
    }
  }
}
