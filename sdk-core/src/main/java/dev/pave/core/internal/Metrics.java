package dev.pave.core.internal;

import dev.pave.core.Lifecycle;
import dev.pave.core.LifecycleState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * The Prometheus meter registry and Pave's own meters: JVM memory, GC, threads, class loading;
 * process CPU, uptime, file descriptors; lifecycle state, health check status, dropped log events,
 * uncaught exceptions.
 */
public final class Metrics implements AutoCloseable {

  /** Prometheus text exposition format 0.0.4, the default. */
  public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** OpenMetrics text, when the scraper's Accept header asks for it. */
  public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final Counter uncaughtExceptions;

  public Metrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    uncaughtExceptions =
        Counter.builder("pave.uncaught.exceptions")
            .description("Exceptions that reached a thread's uncaught exception handler")
            .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Counter uncaughtExceptions() {
    return uncaughtExceptions;
  }

  /** One gauge per state, 1 for the current state and 0 for the others. */
  public void bindLifecycle(Lifecycle lifecycle) {
    for (LifecycleState state : LifecycleState.values()) {
      Gauge.builder("pave.lifecycle.state", lifecycle, l -> l.state() == state ? 1 : 0)
          .description("1 for the current lifecycle state of the service, 0 for the others")
          .tag("state", state.name())
          .register(registry);
    }
  }

  /** Health check status per check: 1 passing, 0 failing or no result yet. */
  public void bindHealth(HealthRegistry health) {
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

  /** The number of log events the logging queue dropped (sdk-logging's counter). */
  public void bindDroppedLogEvents(LongSupplier dropped) {
    FunctionCounter.builder("pave.logging.dropped.events", dropped, d -> d.getAsLong())
        .description("Log events dropped because the asynchronous logging queue was full")
        .register(registry);
  }

  /** {@code pave_logging_peer_stream_errors_total}: see {@code PaveLogging.peerStreamErrors()}. */
  public void bindPeerStreamErrors(LongSupplier errors) {
    FunctionCounter.builder("pave.logging.peer.stream.errors", errors, e -> e.getAsLong())
        .description("Malformed HTTP/2 streams from peers, refused by the gRPC transport and counted instead of logged")
        .register(registry);
  }

  /**
   * Writes a scrape. OpenMetrics when {@code accept} asks for it, else Prometheus text 0.0.4.
   *
   * @return the content type written
   */
  public String scrape(String accept, OutputStream out) throws IOException {
    String contentType =
        accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
    registry.scrape(out, contentType);
    return contentType;
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
