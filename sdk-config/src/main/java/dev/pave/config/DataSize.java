package dev.pave.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of data in bytes, parsed from text such as {@code 512KiB}, {@code 4MiB},
 * {@code 1GB} or {@code 100B}.
 *
 * <p>Units: {@code B}; binary {@code KiB MiB GiB TiB} (powers of 1024); decimal
 * {@code KB MB GB TB} (powers of 1000). Units are case-insensitive; a number without unit is
 * rejected because its unit would be a guess. Immutable.
 */
public final class DataSize implements Comparable<DataSize> {

  private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+)\\s*([A-Za-z]+)\\s*");

  private final long bytes;

  private DataSize(long bytes) {
    this.bytes = bytes;
  }

  /**
   * Returns a size of {@code bytes} bytes.
   *
   * @param bytes zero or more
   * @return the size
   */
  public static DataSize ofBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a data size cannot be negative: " + bytes);
    }
    return new DataSize(bytes);
  }

  /**
   * Parses {@code text} such as {@code 512KiB} or {@code 4MiB}.
   *
   * @param text a non-negative whole number followed by a unit
   * @return the size
   * @throws IllegalArgumentException naming the accepted units if {@code text} is malformed or
   *     does not fit in a long
   */
  public static DataSize parse(String text) {
    Objects.requireNonNull(text, "text");
    Matcher matcher = FORMAT.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "expected a data size such as 512KiB, 4MiB or 100B, got '" + text + "'");
    }
    long multiplier = multiplier(matcher.group(2));
    if (multiplier < 0) {
      throw new IllegalArgumentException("unknown data size unit '" + matcher.group(2)
          + "' in '" + text + "'; expected one of B, KiB, MiB, GiB, TiB, KB, MB, GB, TB");
    }
    try {
      return new DataSize(Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("data size '" + text + "' is too large", e);
    }
  }

  private static long multiplier(String unit) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "b": return 1L;
      case "kib": return 1L << 10;
      case "mib": return 1L << 20;
      case "gib": return 1L << 30;
      case "tib": return 1L << 40;
      case "kb": return 1_000L;
      case "mb": return 1_000_000L;
      case "gb": return 1_000_000_000L;
      case "tb": return 1_000_000_000_000L;
      default: return -1;
    }
  }

  /** Returns the size in bytes. */
  public long toBytes() {
    return bytes;
  }

  @Override
  public int compareTo(DataSize other) {
    return Long.compare(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DataSize && ((DataSize) other).bytes == bytes;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bytes);
  }

  /** Returns the size in the largest binary unit that represents it exactly, e.g. {@code 4MiB}. */
  @Override
  public String toString() {
    String[] units = {"TiB", "GiB", "MiB", "KiB"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (units.length - i));
      if (bytes != 0 && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return bytes + "B";
  }
}
