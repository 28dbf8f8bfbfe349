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
}
