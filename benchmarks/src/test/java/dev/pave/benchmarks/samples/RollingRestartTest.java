package dev.pave.benchmarks.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The short form of the rolling-restart proof (docs/benchmarks.md has the full one with the
 * baselines): three payments replicas as JVMs under a steady load, each replaced the way
 * Kubernetes does it, and not one failed call.
 */
class RollingRestartTest {

  /** Built by the samples/payments module earlier in the same reactor build (package phase). */
  private static final Path PAYMENTS_JAR = Path.of("..", "samples", "payments", "target", "payments.jar");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"headless", "clusterip"})
  void paveReplacesEveryReplicaWithoutAFailedCall(String topology) throws Exception {
    assertThat(PAYMENTS_JAR).as("run after samples/payments is packaged (mvn verify does)").satisfies(
        jar -> assertThat(Files.isRegularFile(jar)).isTrue());

    RollingRestart.Result result = RollingRestart.runOnce(PAYMENTS_JAR, "pave", topology, 100);

    assertThat(result.sent()).as(result.toString()).isGreaterThan(1_000);
    assertThat(result.failed()).as(result.toString()).isZero();
    assertThat(result.ok()).isEqualTo(result.sent());
  }
}
