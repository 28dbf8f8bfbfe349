package dev.pave.core.internal;

import dev.pave.core.CoreSettings;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service that is the process installs into the JVM (design review A2): SIGTERM and SIGINT
 * handlers that start the shutdown order, a shutdown hook as the backstop for {@code System.exit},
 * and the default uncaught-exception handler. An embedded service (tests, {@code start}) installs
 * none of them.
 */
final class ProcessHooks {

  private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);

  private final ServiceRuntime runtime;
  private final AtomicInteger interrupts = new AtomicInteger();

  private ProcessHooks(ServiceRuntime runtime) {
    this.runtime = runtime;
  }

  /** Installs the signal handlers, the shutdown hook and the uncaught-exception handler. */
  static void install(ServiceRuntime runtime) {
    ProcessHooks hooks = new ProcessHooks(runtime);
    Signals.handle("TERM", () -> hooks.onSignal("TERM"));
    Signals.handle("INT", () -> hooks.onSignal("INT"));
    Runtime.getRuntime().addShutdownHook(new Thread(hooks::onJvmExit, "pave-shutdown-hook"));
    Thread.setDefaultUncaughtExceptionHandler(hooks::uncaught);
  }

  private void onSignal(String signal) {
    if ("INT".equals(signal) && interrupts.incrementAndGet() > 1) {
      log.info("SIGINT received again; skipping the rest of the drain delay");
      runtime.lifecycleController().skipDrain();
      return;
    }
    CoreSettings settings = runtime.settingsOrNull();
    Duration drain = settings != null ? settings.lifecycle().signalDrainDelay() : Duration.ZERO;
    runtime.requestShutdown(drain, "SIG" + signal);
  }

  /** Backstop for System.exit from user code or a signal the JVM handled itself: stop in order, no drain. */
  private void onJvmExit() {
    if (runtime.hasStopped()) {
      return;
    }
    runtime.requestShutdown(Duration.ZERO, "JVM exit");
    try {
      CoreSettings settings = runtime.settingsOrNull();
      Duration budget = settings != null
          ? settings.lifecycle().shutdownTimeout().plus(settings.lifecycle().telemetryFlushTimeout())
          : CoreSettings.defaults().lifecycle().shutdownTimeout();
      runtime.awaitStopped(budget.plus(ServiceRuntime.MIN_LOG_FLUSH));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Logs an uncaught exception with the trace context it was thrown in (the current one, or the
   * one of the Pave executor task that threw) and counts it.
   */
  private void uncaught(Thread thread, Throwable error) {
    Metrics metrics = runtime.metricsOrNull();
    if (metrics != null) {
      metrics.uncaughtExceptions().increment();
    }
    Context context = Context.current();
    Context failedTask = ContextPropagatingExecutorService.takeFailedTaskContext();
    if (!Span.fromContext(context).getSpanContext().isValid() && failedTask != null) {
      context = failedTask;
    }
    try (Scope ignored = context.makeCurrent()) {
      log.error("uncaught exception on thread '{}'", thread.getName(), error);
    }
  }
}
