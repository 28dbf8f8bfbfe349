package dev.pave.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.config.Config;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoreSettingsTest {

  @Test
  void defaults_fitTheKubernetesDefaultGracePeriod() {
    CoreSettings settings = CoreSettings.from(Config.builder().build());
    assertThat(settings.lifecycle().drainDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.lifecycle().signalDrainDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.lifecycle().shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.lifecycle().terminationGracePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.admin().port()).isEqualTo(8081);
    assertThat(settings.admin().exposeConfig()).isFalse();
    assertThat(settings).isEqualTo(CoreSettings.defaults());
    settings.checkTerminationBudget();
  }

  @Test
  void drainDelayOnSignal_defaultsToTheDrainDelay() {
    CoreSettings settings = CoreSettings.from(Config.builder().override("lifecycle.drain-delay", "2s").build());
    assertThat(settings.lifecycle().signalDrainDelay()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void budget_overTheGracePeriod_failsNamingEachValue() {
    CoreSettings settings = CoreSettings.from(Config.builder()
        .override("lifecycle.drain-delay", "1s")
        .override("lifecycle.drain-delay-on-signal", "15s")
        .override("lifecycle.shutdown-timeout", "20s")
        .build());
    assertThatThrownBy(settings::checkTerminationBudget)
        .hasMessageContaining("lifecycle.drain-delay-on-signal (15s)")
        .hasMessageContaining("lifecycle.shutdown-timeout (20s)")
        .hasMessageContaining("lifecycle.telemetry-flush-timeout (3s)")
        .hasMessageContaining("= 38s exceeds lifecycle.termination-grace-period (30s)");
  }

  @Test
  void badValues_nameTheKey() {
    assertThatThrownBy(() -> CoreSettings.from(Config.builder().override("admin.port", "70000").build()))
        .hasMessageContaining("admin.port");
    assertThatThrownBy(() -> CoreSettings.from(Config.builder().override("lifecycle.shutdown-timeout", "soon").build()))
        .hasMessageContaining("lifecycle.shutdown-timeout");
  }

  @Test
  void everyBadKey_isReportedAtOnce() {
    // Issue 11: sdk-core reported only the first of two bad keys.
    assertThatThrownBy(() -> CoreSettings.from(Config.builder()
            .override("admin.port", "70000")
            .override("lifecycle.shutdown-timeout", "soon")
            .override("health.check-interval", "0s")
            .build()))
        .isInstanceOfSatisfying(dev.pave.config.ConfigException.class, e -> assertThat(e.problems())
            .extracting(dev.pave.config.ConfigException.Problem::key)
            .containsExactlyInAnyOrder("admin.port", "lifecycle.shutdown-timeout", "health.check-interval"));
  }

  @Test
  void rangeProblems_nameEachKeyWithItsSource() {
    // Checked by the records' constructors; binding reports each key with where its value came from.
    assertThatThrownBy(() -> CoreSettings.from(Config.builder()
            .environment(java.util.Map.of("LIFECYCLE_DRAIN_DELAY", "-1s", "HEALTH_CHECK_TIMEOUT", "0s"))
            .systemProperties(new java.util.HashMap<>(java.util.Map.of("lifecycle.shutdown-timeout", "-2s")))
            .build()))
        .isInstanceOfSatisfying(dev.pave.config.ConfigException.class, e -> assertThat(e.problems())
            .extracting(p -> p.key() + " [" + p.source() + "]")
            .containsExactlyInAnyOrder("lifecycle.drain-delay [env LIFECYCLE_DRAIN_DELAY]",
                "lifecycle.shutdown-timeout [system property lifecycle.shutdown-timeout]",
                "health.check-timeout [env HEALTH_CHECK_TIMEOUT]"));
  }

  @Test
  void aMisspelledKey_underACoreRoot_isRefusedWithTheClosestKey() {
    // Issue 11: lifecycle.drain-dealy was silently ignored, only grpc.* refused unknown keys.
    assertThatThrownBy(() -> CoreSettings.from(Config.builder()
            .environment(java.util.Map.of("LIFECYCLE_DRAIN_DEALY", "1s"))
            .defaults(java.util.Map.of("admin.expose-confg", "true"))
            .build()))
        .isInstanceOfSatisfying(dev.pave.config.ConfigException.class, e -> assertThat(e.problems())
            .extracting(p -> p.key() + ": " + p.message())
            .anySatisfy(line -> assertThat(line).startsWith("LIFECYCLE_DRAIN_DEALY").contains("lifecycle.drain-delay"))
            .anySatisfy(line -> assertThat(line).startsWith("admin.expose-confg").contains("expose-config")));
  }
}
