package dev.pave.core;

import dev.pave.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.concurrent.ExecutorService;

/**
 * What a service's setup code receives from {@code Pave.service(name).run(svc -> ...)}: its
 * configuration, health checks, lifecycle, metrics, tracing, and the way to register components.
 */
public interface ServiceContext {

  /**
   * The service name given to {@link Pave#service(String)}.
   *
   * @return the service name
   */
  String serviceName();

  /**
   * The configuration loaded at startup.
   *
   * @return the configuration
   */
  Config config();

  /**
   * The health checks answered on the admin port.
   *
   * @return the health registry
   */
  Health health();

  /**
   * The lifecycle state and its changes.
   *
   * @return the lifecycle
   */
  Lifecycle lifecycle();

  /**
   * The meter registry scraped at {@code /metrics} (a Prometheus registry).
   *
   * @return the meter registry
   */
  MeterRegistry meterRegistry();

  /**
   * The OpenTelemetry set up from {@code OTEL_*} variables and Pave's resource attributes.
   *
   * @return the OpenTelemetry instance, also installed as the global one
   */
  OpenTelemetry openTelemetry();

  /**
   * Registers a component: it starts after the setup code returns, in registration order, and
   * stops in reverse order.
   *
   * @param component the component
   * @param <T> its type
   * @return {@code component}, for chaining
   * @throws IllegalStateException if called after the setup code returned
   */
  <T extends LifecycleComponent> T register(T component);

  /**
   * A fixed-size executor whose tasks run with the trace context and MDC of the code that
   * submitted them. Its threads are named {@code name-N}; it is shut down (in-flight tasks may
   * finish within the shutdown timeout) when the service stops.
   *
   * @param name the thread name prefix
   * @param threads the number of threads, at least 1
   * @return the executor
   */
  ExecutorService executor(String name, int threads);

  /**
   * The service's own endpoints on the admin port ({@code svc.admin().route("/cachez", query ->
   * AdminReply.json(cache.stats()))}).
   *
   * @return the admin port's route table
   */
  @dev.pave.config.Experimental("the admin route table is new")
  Admin admin();
}
