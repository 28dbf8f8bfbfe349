package dev.pave.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void format_isRfc3339UtcWithExactlyThreeFractionDigits() {
    assertThat(Timestamps.format(Instant.parse("2026-11-27T09:35:07Z").toEpochMilli())).isEqualTo("2026-11-27T09:35:07.000Z");
    assertThat(Timestamps.format(Instant.parse("2026-11-27T09:35:07.120Z").toEpochMilli())).isEqualTo("2026-11-27T09:35:07.120Z");
    assertThat(Timestamps.format(Instant.parse("1969-12-31T23:59:59.999Z").toEpochMilli())).isEqualTo("1969-12-31T23:59:59.999Z");
  }

  @Test
  void format_acrossMinutes_agreesWithJavaTime() {
    long start = Instant.parse("2026-12-31T23:58:00Z").toEpochMilli();
    for (long millis = start; millis < start + 180_000; millis += 7_919) {
      String expected = Instant.ofEpochMilli(millis).toString();
      String formatted = Timestamps.format(millis);
      assertThat(Instant.parse(formatted)).isEqualTo(Instant.parse(expected));
      assertThat(formatted).hasSize(24);
    }
  }
}
