package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Config#load()} in a real child JVM with a real environment, system properties and mounts. */
class LoadProcessTest {

  @TempDir Path tmp;

  private record Result(int exit, String output) {}

  private Result runChild(Map<String, String> env, List<String> jvmArgs) throws IOException, InterruptedException {
    dev.pave.testsupport.ChildJvm child = dev.pave.testsupport.ChildJvm.builder(tmp.resolve("child-output"), LoadMain.class)
        .jvmArgs(jvmArgs)
        .env(env)
        .workingDirectory(tmp)
        .mergeStderr()
        .start();
    int exit = child.awaitExit(java.time.Duration.ofSeconds(60));
    return new Result(exit, child.stdoutText());
  }

  @Test
  void loadReadsEnvironmentSystemPropertiesConfigMapAndSecretVolumeOfTheRealProcess() throws Exception {
    Path configMap = tmp.resolve("config");
    Fixtures.kubeletWrite(configMap, "2026_11_27_10_00_00.1", Map.of("lifecycle.port", "8081\n",
        "application.yaml", "lifecycle:\n  drain-delay: 9s\npayments:\n  region: eu\n"));
    Path secrets = tmp.resolve("secrets");
    Fixtures.kubeletWrite(secrets, "2026_11_27_10_00_00.1", Map.of("payments.api-key", "sk_child_secret\n"));

    Result result = runChild(
        Map.of("LIFECYCLE_DRAIN_DELAY", "300ms", "CONFIG_DIRS", configMap.toString(), "SECRETS_DIR", secrets.toString()),
        List.of("-Dpayments.region=us"));

    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("secrets listed before first secret access: 0")
        .contains("entry lifecycle.drain-delay=300ms | env LIFECYCLE_DRAIN_DELAY")
        .contains("entry lifecycle.port=8081 | file " + configMap.resolve("lifecycle.port").toAbsolutePath())
        .contains("entry payments.region=us | system property payments.region")
        .contains("entry payments.api-key=****** | file " + secrets.resolve("payments.api-key").toAbsolutePath())
        .contains("bound Lifecycle[drainDelay=PT0.3S, port=8081]")
        .contains("secret ****** length 15")
        .doesNotContain("sk_child_secret");
  }

  @Test
  void aBadValueFailsStartupWithEveryProblem() throws Exception {
    Result result = runChild(Map.of("LIFECYCLE_DRAIN_DELAY", "3 weeks", "LIFECYCLE_PORT", "http",
        "CONFIG_DIRS", tmp.resolve("none").toString(), "SECRETS_DIR", tmp.resolve("none").toString()), List.of());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.output())
        .contains("failed Invalid configuration (2 problems):")
        .contains("lifecycle.drain-delay [env LIFECYCLE_DRAIN_DELAY]: expected a duration")
        .contains("lifecycle.port [env LIFECYCLE_PORT]: expected an integer");
  }

  @Test
  void theTestClasspathCarriesNoApplicationYaml() {
    // The child process reads the real classpath: keep it free of stray application files.
    assertThat(Files.exists(Path.of("src/test/resources/application.yaml"))).isFalse();
  }
}
