package dev.pave.core.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code pave_health_check_status{kind, check}}: 1 when a check passes, 0 when it fails or has no
 * result yet; one gauge per check, checks registered later included.
 */
final class HealthMetrics implements MeterBinder {

  private final HealthRegistry health;

  HealthMetrics(HealthRegistry health) {
    this.health = health;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    health.onRegistration(
        check ->
            Gauge.builder("pave.health.check.status", health, h -> {
                  HealthRegistry.CheckStatus status = h.status(check.name());
                  return status != null && status.status() == HealthRegistry.Status.UP ? 1 : 0;
                })
                .description("1 when the health check passes, 0 when it fails or has no result yet")
                .tag("kind", check.kind().label())
                .tag("check", check.name())
                .register(registry));
  }
}
