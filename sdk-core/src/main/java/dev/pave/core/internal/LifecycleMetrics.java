package dev.pave.core.internal;

import dev.pave.core.Lifecycle;
import dev.pave.core.LifecycleState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** {@code pave_lifecycle_state{state}}: one gauge per state, 1 for the current state and 0 for the others. */
final class LifecycleMetrics implements MeterBinder {

  private final Lifecycle lifecycle;

  LifecycleMetrics(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (LifecycleState state : LifecycleState.values()) {
      Gauge.builder("pave.lifecycle.state", lifecycle, l -> l.state() == state ? 1 : 0)
          .description("1 for the current lifecycle state of the service, 0 for the others")
          .tag("state", state.name())
          .register(registry);
    }
  }
}
