package dev.pave.config;

import dev.pave.config.internal.Conversions;
import java.time.Duration;
import java.util.Objects;

/**
 * Durations as every Pave module reads and writes them, so that a key, an admin request and a log
 * line use one notation: {@code 250ms}, {@code 5s}, {@code 1m}, {@code 2h}, {@code 1d}
 * ({@code 10us} and {@code 100ns} too) or ISO-8601 ({@code PT5S}).
 */
public final class Durations {

  private Durations() {}

  /**
   * Parses {@code text} as a configuration value of type {@link Duration} is parsed. A bare number
   * is refused: its unit would be a guess.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static Duration parse(String text) {
    Objects.requireNonNull(text, "text");
    return Conversions.parseDuration(text);
  }

  /**
   * Formats {@code duration} for people, in the notation {@link #parse} reads: whole seconds as
   * {@code 5s}, less than a second as {@code 300ms}, else seconds with a fraction ({@code 1.5s});
   * millisecond precision.
   */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms % 1000 == 0) {
      return (ms / 1000) + "s";
    }
    return ms < 1000 && ms > -1000 ? ms + "ms" : java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
  }
}
