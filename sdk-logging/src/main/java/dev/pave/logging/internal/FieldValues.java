package dev.pave.logging.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pave.config.Secret;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * How MDC and key-value values are rendered: Secrets masked, text redacted then cut to {@code
 * logging.field.max-length}, numbers kept.
 */
final class FieldValues {

  private FieldValues() {}

  /** Writes a key-value value: numbers and booleans as JSON, everything else as redacted text. */
  static void writeJson(JsonGenerator generator, String name, Object value, Redactor redactor, int maxLength)
      throws IOException {
    generator.writeFieldName(name);
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof Secret || redactor.isSensitiveName(name)) {
      generator.writeString(Redactor.MASK);
    } else if (value instanceof String text) {
      generator.writeString(TextLimit.cut(redactor.redact(text), maxLength));
    } else if (value instanceof Boolean bool) {
      generator.writeBoolean(bool);
    } else if (value instanceof Number number) {
      writeNumber(generator, number, redactor, maxLength);
    } else {
      generator.writeString(TextLimit.cut(redactor.redact(safeToString(value)), maxLength));
    }
  }

  /** A value as redacted text for the text format ({@code null} as "null"). */
  static String text(String name, Object value, Redactor redactor, int maxLength) {
    if (value instanceof Secret || (value != null && redactor.isSensitiveName(name))) {
      return Redactor.MASK;
    }
    if (value instanceof Number number) {
      String redacted = redactedNumber(number, redactor);
      if (redacted != null) {
        return redacted;
      }
    }
    return TextLimit.cut(redactor.redact(safeToString(value)), maxLength);
  }

  /**
   * A number as a JSON number, or as its redacted digits when redaction changes them; a {@code
   * Number} type without a JSON form as redacted text.
   */
  private static void writeNumber(JsonGenerator generator, Number number, Redactor redactor, int maxLength)
      throws IOException {
    String redacted = redactedNumber(number, redactor);
    if (redacted != null) {
      generator.writeString(redacted);
    } else if (number instanceof Integer || number instanceof Long || number instanceof Short
        || number instanceof Byte) {
      generator.writeNumber(number.longValue());
    } else if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      if (Double.isFinite(d)) {
        generator.writeNumber(d);
      } else {
        generator.writeString(String.valueOf(d)); // NaN and Infinity are not JSON numbers
      }
    } else if (number instanceof BigDecimal decimal) {
      generator.writeNumber(decimal);
    } else if (number instanceof BigInteger integer) {
      generator.writeNumber(integer);
    } else {
      generator.writeString(TextLimit.cut(redactor.redact(safeToString(number)), maxLength));
    }
  }

  /**
   * The number's digits redacted, when redaction changes them (a card number logged as a {@code
   * long}, {@code BigInteger} or {@code double}: security report D7), else null and the number is
   * written as a number. Numbers under 13 digits (durations, sizes, counts) are never checked.
   */
  static String redactedNumber(Number number, Redactor redactor) {
    String digits;
    if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
      return null;
    } else if (number instanceof Long l) {
      if (Math.abs(l) < 1_000_000_000_000L) {
        return null;
      }
      digits = Long.toString(l);
    } else if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      if (!Double.isFinite(d) || Math.abs(d) < 1e12) {
        return null;
      }
      digits = BigDecimal.valueOf(d).toPlainString();
    } else if (number instanceof BigDecimal decimal) {
      digits = decimal.toPlainString();
    } else {
      digits = number.toString();
    }
    String redacted = redactor.redact(digits);
    return redacted.equals(digits) ? null : redacted;
  }

  /** {@code String.valueOf(value)}, but a throwing {@code toString()} cannot lose the event. */
  static String safeToString(Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException e) {
      return "[toString() failed: " + e.getClass().getName() + "]";
    }
  }
}
