package dev.pave.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The runtime API against the zero-config Logback of this test JVM. */
class PaveLoggingTest {

  @Test
  void zeroConfigIsActiveInThisJvm() {
    assertThat(PaveLogging.settings()).isPresent();
    assertThat(PaveLogging.effectiveLevel("root")).isEqualTo("INFO");
  }

  @Test
  void setLevel_changesTheEffectiveLevel_andNullResetsToInherited() {
    PaveLogging.setLevel("com.example.levels", "debug");
    assertThat(PaveLogging.effectiveLevel("com.example.levels.Child")).isEqualTo("DEBUG");
    PaveLogging.setLevel("com.example.levels", null);
    assertThat(PaveLogging.effectiveLevel("com.example.levels.Child")).isEqualTo("INFO");
  }

  @Test
  void setLevel_withTtl_revertsToThePreviousLevel() {
    PaveLogging.setLevel("com.example.ttl", "WARN");
    PaveLogging.setLevel("com.example.ttl", "TRACE", Duration.ofMillis(300));
    PaveLogging.setLevel("com.example.ttl", "DEBUG", Duration.ofMillis(300)); // keeps WARN as the original
    assertThat(PaveLogging.effectiveLevel("com.example.ttl")).isEqualTo("DEBUG");
    await().atMost(Duration.ofSeconds(10)).until(() -> PaveLogging.effectiveLevel("com.example.ttl").equals("WARN"));
  }

  @Test
  void setLevel_withoutTtl_cancelsAPendingRevert() throws Exception {
    PaveLogging.setLevel("com.example.permanent", "TRACE", Duration.ofMillis(100));
    PaveLogging.setLevel("com.example.permanent", "ERROR");
    // Wait past the TTL with a second, longer TTL change elsewhere as the clock.
    PaveLogging.setLevel("com.example.clock", "DEBUG", Duration.ofMillis(400));
    await().atMost(Duration.ofSeconds(10)).until(() -> PaveLogging.effectiveLevel("com.example.clock").equals("INFO"));
    assertThat(PaveLogging.effectiveLevel("com.example.permanent")).isEqualTo("ERROR");
  }

  @Test
  void setLevel_unknownLevel_namesTheLoggerAndTheAcceptedLevels() {
    assertThatThrownBy(() -> PaveLogging.setLevel("com.example", "LOUD"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown level 'LOUD' for logger 'com.example': expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    assertThatThrownBy(() -> PaveLogging.setLevel("com.example", "DEBUG", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl must be positive");
  }

  @Test
  void flush_returnsOnceWritten() {
    org.slf4j.LoggerFactory.getLogger(PaveLoggingTest.class).info("flush me");
    assertThat(PaveLogging.flush(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void capture_copiesTheLinesAsWritten_untilClosed() {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("com.example.capture");
    log.info("before the capture");
    try (LogCapture capture = PaveLogging.capture()) {
      log.atInfo().addKeyValue("order.id", "o-1").log("captured with key {}", dev.pave.config.Secret.of("s3cr3t-value"));
      assertThat(capture.lines())
          .noneSatisfy(line -> assertThat(line).contains("before the capture"))
          .anySatisfy(line -> assertThat(line)
              .startsWith("{").endsWith("}")
              .contains("\"message\":\"captured with key ******\"")
              .contains("\"order.id\":\"o-1\""))
          .noneSatisfy(line -> assertThat(line).contains("s3cr3t-value"));
      capture.clear();
      assertThat(capture.lines()).isEmpty();
      capture.close();
      log.info("after the capture");
      assertThat(capture.lines()).isEmpty();
    }
  }
}
