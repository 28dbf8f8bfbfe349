package dev.pave.core.internal;

import dev.pave.config.Config;
import dev.pave.core.Admin;
import dev.pave.core.Lifecycle;
import dev.pave.core.LifecycleComponent;
import dev.pave.core.ServiceContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a service's setup code sees ({@link ServiceContext}): the platform parts the startup order
 * built, handed over by {@link ServiceRuntime} as each step completes (design review A2; Dropwizard's
 * {@code Environment}). It owns only what it gives out: the executors of
 * {@link #executor(String, int)}, which the shutdown order stops through {@link #stopExecutors}.
 *
 * <p>The fields are written by the startup thread, step by step, before the setup code runs, and
 * read by it and by the admin backend; they are volatile so the admin server's threads see them.
 */
final class DefaultServiceContext implements ServiceContext {

  private final LifecycleController lifecycle;
  private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();
  /** Pave.service(name), replaced at step 1 by {@code service.name} when set: one identity everywhere. */
  volatile String serviceName;
  /** Step 1. */
  volatile Config config;
  /** Step 4. */
  volatile Telemetry telemetry;
  /** Step 5. */
  volatile Metrics metrics;
  /** Step 6. */
  volatile HealthRegistry health;
  /** Step 7. */
  volatile AdminServer admin;

  DefaultServiceContext(String serviceName, LifecycleController lifecycle) {
    this.serviceName = serviceName;
    this.lifecycle = lifecycle;
  }

  @Override
  public String serviceName() {
    return serviceName;
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public HealthRegistry health() {
    return health;
  }

  @Override
  public Lifecycle lifecycle() {
    return lifecycle;
  }

  @Override
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  @Override
  public OpenTelemetry openTelemetry() {
    return telemetry.openTelemetry();
  }

  @Override
  public Admin admin() {
    return (path, handler) -> {
      AdminServer server = admin;
      if (server == null) {
        throw new IllegalStateException("admin routes are added from the setup code, once the admin server runs");
      }
      server.addRoute(path, handler);
    };
  }

  @Override
  public <T extends LifecycleComponent> T register(T component) {
    return lifecycle.register(component);
  }

  @Override
  public ExecutorService executor(String name, int threads) {
    Objects.requireNonNull(name, "name");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    // Not daemon threads: a service's own work, which the shutdown order finishes (or stops).
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory = r -> new Thread(r, name + "-" + counter.incrementAndGet());
    ExecutorService executor = new ContextPropagatingExecutorService(Executors.newFixedThreadPool(threads, factory));
    executors.add(executor);
    return executor;
  }

  /** Stops the executors handed out: no new tasks, running ones get {@code budget}, then interrupted. */
  void stopExecutors(Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    executors.forEach(ExecutorService::shutdown);
    for (ExecutorService executor : executors) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !executor.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        executor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
