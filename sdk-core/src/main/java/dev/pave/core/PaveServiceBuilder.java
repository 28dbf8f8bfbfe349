package dev.pave.core;

import dev.pave.config.Config;
import dev.pave.core.internal.ServiceRuntime;
import dev.pave.core.spi.RunInterceptor;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Describes a service; obtain one with {@link Pave#service(String)}.
 *
 * <p>Startup order: configuration, logging, the termination budget check, OpenTelemetry, metrics,
 * health, the admin server, then the setup code and the components it registered (in registration
 * order), then READY. Shutdown order: DRAINING for the drain delay, STOPPING, then the startup
 * order undone in reverse: components, executors, health checks, telemetry flush, STOPPED, admin
 * server, logging last. See {@code docs/architecture.md}.
 */
public final class PaveServiceBuilder {
  private final String name;
  private Config config;

  PaveServiceBuilder(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("service name must not be blank");
    }
    this.name = name;
  }

  /**
   * Uses {@code config} instead of loading the process's configuration. By default the runtime
   * loads what {@link Config#load()} loads, with sdk-core's defaults as the lowest source. A
   * configuration given here is not closed by the runtime.
   *
   * @param config the configuration
   * @return this builder
   */
  public PaveServiceBuilder config(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }

  /**
   * Runs the service as the process: starts it, handles SIGTERM and SIGINT (a second SIGINT skips
   * the rest of the drain delay), answers the admin endpoints, and blocks until it has stopped.
   * Then exits the JVM: status 0 after an orderly stop, 1 when startup failed (after logging one
   * line naming the cause). Never returns normally, unless a {@link RunInterceptor} on the
   * classpath (sdk-testing's {@code @PaveTest}) took the run over.
   *
   * @param setup the service's wiring: read configuration, register components and health checks
   */
  public void run(Consumer<ServiceContext> setup) {
    Objects.requireNonNull(setup, "setup");
    for (RunInterceptor interceptor : ServiceLoader.load(RunInterceptor.class)) {
      if (interceptor.intercept(this, setup)) {
        return;
      }
    }
    ServiceRuntime runtime;
    try {
      runtime = ServiceRuntime.start(new ServiceRuntime.Options(name, config, true), setup);
    } catch (PaveStartupException e) {
      System.exit(1);
      return;
    }
    try {
      runtime.awaitStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(0);
  }

  /**
   * Starts the service inside this JVM and returns once it is READY: no signal handlers, no
   * {@code System.exit}, the global OpenTelemetry untouched, logging left running when stopped.
   * For tests and embedding.
   *
   * @param setup the service's wiring
   * @return the running service; {@link RunningService#stop()} stops it
   * @throws PaveStartupException if it cannot start; what started has been stopped
   */
  public RunningService start(Consumer<ServiceContext> setup) {
    Objects.requireNonNull(setup, "setup");
    return ServiceRuntime.start(new ServiceRuntime.Options(name, config, false), setup);
  }
}
