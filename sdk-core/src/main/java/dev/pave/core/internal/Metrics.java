package dev.pave.core.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.MeterBinder;
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

  /** Binds Pave's own meters ({@link LifecycleMetrics}, {@link HealthMetrics}, {@link LoggingMetrics}, ...). */
  public void bind(MeterBinder... binders) {
    for (MeterBinder binder : binders) {
      binder.bindTo(registry);
    }
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
