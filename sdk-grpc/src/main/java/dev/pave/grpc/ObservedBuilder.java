package dev.pave.grpc;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;

/**
 * What {@link GrpcServer.Builder} and {@link GrpcChannels.Builder} both require: the meter registry
 * and OpenTelemetry, with their two setters and checks written once (design review 4.1).
 * Package-private: its public setters are part of each builder's API.
 */
abstract class ObservedBuilder<B extends ObservedBuilder<B>> {
  MeterRegistry meterRegistry;
  OpenTelemetry openTelemetry;

  ObservedBuilder() {}

  /** Registry of the meters (and, for channels, the circuit breakers' state); required. */
  public B meterRegistry(MeterRegistry registry) {
    this.meterRegistry = requireNonNull(registry, "meterRegistry");
    return self();
  }

  /** OpenTelemetry of the spans and of context propagation; required. */
  public B openTelemetry(OpenTelemetry openTelemetry) {
    this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
    return self();
  }

  /** Fails naming what is missing. */
  void requireObservability() {
    requireNonNull(meterRegistry, "meterRegistry must be set");
    requireNonNull(openTelemetry, "openTelemetry must be set");
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
