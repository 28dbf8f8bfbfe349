package dev.pave.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.testsupport.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One load, one order (issue 14): Logback's configurator loads the configuration when the first
 * logger is created, sdk-core's step 1 loads it again; the files are read once and both loads see
 * the same content, while a system property a {@code main} sets in between is seen by the second.
 */
class ConfigurationLoadTest {

  @TempDir Path tmp;

  private static ChildJvm start(Path dir, String... args) throws Exception {
    return ChildJvm.builder(dir, OneLoadMain.class)
        .jvmArgs(List.of("-Dadmin.host=127.0.0.1", "-Dadmin.port=0", "-Dlifecycle.exit-when-ready=true"))
        .removeEnv(k -> k.startsWith("OTEL_"))
        .args(args)
        .mergeStderr()
        .start();
  }

  @Test
  void theFilesAreReadOnce_byTheFirstLoggerAndStep1Together() throws Exception {
    try (ChildJvm child = start(tmp)) {
      assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.stdoutText()).isZero();
      String out = child.stdoutText();
      assertThat(out).as(out).contains("application.yaml opened 1 times");
      // Text from the first line on: the configurator's load already had the file's value.
      assertThat(out.lines().filter(l -> l.contains("first line, before run()")).findFirst().orElseThrow())
          .doesNotStartWith("{");
    }
  }

  @Test
  void aSystemPropertySetByMainBeforeRun_isSeenByStep1_andLoggingFollowsItFromStep2() throws Exception {
    try (ChildJvm child = start(tmp, "json")) {
      assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.stdoutText()).isZero();
      String out = child.stdoutText();
      assertThat(out).as(out).contains("application.yaml opened 1 times");
      assertThat(out.lines().filter(l -> l.contains("first line, before run()")).findFirst().orElseThrow())
          .doesNotStartWith("{");
      assertThat(out.lines().filter(l -> l.contains("application.yaml opened")).findFirst().orElseThrow())
          .startsWith("{");
    }
  }

  /**
   * A bad logging key is reported once: in the one line that lists every problem of the failed
   * start. Logback's configurator, which read it first, used to write its own ERROR line for it too.
   */
  @Test
  void aBadLoggingKey_isReportedOnce_inTheFailedStartsLine() throws Exception {
    try (ChildService child = ChildService.start(tmp, java.util.Map.of(), java.util.Map.of(
        "LOGGING_FORMAT", "xml", "LIFECYCLE_DRAIN_DEALY", "1s"))) {
      assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.output()).isEqualTo(1);
      String out = child.output();
      assertThat(out.lines().filter(l -> l.contains("got 'xml'"))).as(out).hasSize(1);
      assertThat(out.lines().filter(l -> l.contains("got 'xml'")).findFirst().orElseThrow())
          .contains("failed to start", "LIFECYCLE_DRAIN_DEALY", "did you mean lifecycle.drain-delay");
    }
  }

  /**
   * Two service names that differ used to fail the start at step 1, before logging's keys were
   * checked, and the bad logging key of the same run went unnamed (its held-back report was
   * dropped). Now both are in the one line.
   */
  @Test
  void twoServiceNamesAndABadLoggingKey_areBothInTheFailedStartsLine() throws Exception {
    try (ChildService child = ChildService.start(tmp, java.util.Map.of(), java.util.Map.of(
        "LOGGING_FORMAT", "xml", "SERVICE_NAME", "orders", "OTEL_SERVICE_NAME", "order-service"))) {
      assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.output()).isEqualTo(1);
      String out = child.output();
      assertThat(out.lines().filter(l -> l.contains("got 'xml'"))).as(out).hasSize(1);
      assertThat(out.lines().filter(l -> l.contains("got 'xml'")).findFirst().orElseThrow())
          .contains("failed to start", "otel.service.name [env OTEL_SERVICE_NAME]: is 'order-service'",
              "logging.format");
    }
  }

  /** A plain SLF4J program (no sdk-core) still gets the problem, before its first line. */
  @Test
  void withoutSdkCore_theProblemIsStillWritten_beforeTheFirstLine() throws Exception {
    try (ChildJvm child = ChildJvm.builder(tmp, PlainMain.class)
        .jvmArgs(List.of("-Dlogging.format=xml"))
        .mergeStderr()
        .start()) {
      assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.stdoutText()).isZero();
      List<String> lines = child.lines();
      assertThat(lines).as(child.stdoutText()).hasSize(2);
      assertThat(lines.get(0)).contains("ERROR", "Logging configuration is invalid", "got 'xml'");
      assertThat(lines.get(1)).contains("hello from a plain program");
    }
  }

  /** Logs one line through SLF4J and never starts a Pave service (no sdk-core runtime). */
  static final class PlainMain {
    public static void main(String[] args) {
      org.slf4j.LoggerFactory.getLogger(PlainMain.class).info("hello from a plain program");
    }
  }
}
