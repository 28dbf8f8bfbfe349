package dev.pave.logging.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * RFC 3339 timestamps in UTC with exactly three fraction digits: {@code 2026-11-27T09:35:07.120Z}.
 *
 * <p>Hand-written because logstash-logback-encoder's fast ISO formatter drops the fraction when it
 * is zero ({@code ...:07Z}), and a fixed width keeps lines sortable and the schema exact. The
 * minute prefix is cached, so the common case formats without {@link DateTimeFormatter}.
 */
final class Timestamps {

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:").withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter FULL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Size of the buffer {@link #format(long, char[])} needs. */
  static final int MAX_LENGTH = 32;

  private record Minute(long epochMinute, char[] prefix) {}

  private static volatile Minute cached = new Minute(Long.MIN_VALUE, new char[0]);

  private Timestamps() {}

  /** Writes the timestamp of {@code epochMillis} into {@code out} and returns its length. */
  static int format(long epochMillis, char[] out) {
    long epochMinute = Math.floorDiv(epochMillis, 60_000L);
    Minute minute = cached;
    if (minute.epochMinute != epochMinute) {
      minute = new Minute(epochMinute, MINUTE.format(Instant.ofEpochMilli(epochMinute * 60_000L)).toCharArray());
      cached = minute;
    }
    char[] prefix = minute.prefix;
    int pos = prefix.length;
    if (pos != 17) {
      // Years beyond 9999 or before 0: not worth a fast path.
      String slow = FULL.format(Instant.ofEpochMilli(epochMillis));
      int length = Math.min(slow.length(), MAX_LENGTH);
      slow.getChars(0, length, out, 0);
      return length;
    }
    System.arraycopy(prefix, 0, out, 0, pos);
    int millisOfMinute = (int) Math.floorMod(epochMillis, 60_000L);
    int seconds = millisOfMinute / 1000;
    int millis = millisOfMinute % 1000;
    out[pos++] = (char) ('0' + seconds / 10);
    out[pos++] = (char) ('0' + seconds % 10);
    out[pos++] = '.';
    out[pos++] = (char) ('0' + millis / 100);
    out[pos++] = (char) ('0' + millis / 10 % 10);
    out[pos++] = (char) ('0' + millis % 10);
    out[pos++] = 'Z';
    return pos;
  }

  /** The timestamp of {@code epochMillis} as a string. */
  static String format(long epochMillis) {
    char[] out = new char[MAX_LENGTH];
    return new String(out, 0, format(epochMillis, out));
  }
}
