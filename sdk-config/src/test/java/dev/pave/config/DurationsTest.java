package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One notation for durations in every module: what {@link Durations#format} writes, {@link Durations#parse} reads. */
class DurationsTest {

  @Test
  void formatWritesWhatParseReads() {
    for (Duration d : new Duration[] {Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(1500),
        Duration.ofMinutes(2), Duration.ZERO, Duration.ofMillis(-1500)}) {
      assertThat(Durations.parse(Durations.format(d))).as(Durations.format(d)).isEqualTo(d);
    }
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Durations.format(Duration.ofMillis(300))).isEqualTo("300ms");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("120s");
  }

  @Test
  void parseReadsEveryUnitAndIso_andRefusesABareNumber() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> Durations.parse("30"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a bare number has no unit");
  }
}
