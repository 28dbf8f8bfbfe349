package dev.pave.benchmarks.core;

import dev.pave.core.LifecycleState;
import dev.pave.core.Pave;

/**
 * The smallest Pave service: configuration, JSON logging, OpenTelemetry (SDK on, no exporter),
 * Prometheus metrics, health and the admin server, no components of its own. Measured by {@code
 * benchmarks/startup.sh}.
 *
 * <p>{@code -Dbench.exit=halt} ends the JVM as soon as it is READY (time-to-READY runs under
 * hyperfine); {@code -Dbench.exit=exit} ends it with an orderly stop (an AppCDS training run);
 * without the property it runs until SIGTERM (the idle RSS measurement).
 */
public final class MinimalService {
  private MinimalService() {}

  public static void main(String[] args) {
    String exit = System.getProperty("bench.exit", "");
    Pave.service("bench-minimal").run(svc -> svc.lifecycle().onStateChange(state -> {
      if (state == LifecycleState.READY && !exit.isEmpty()) {
        // On a new thread: the listener runs on the thread that is completing startup.
        Thread thread = new Thread(() -> {
          if (exit.equals("halt")) {
            Runtime.getRuntime().halt(0);
          } else {
            System.exit(0);
          }
        });
        thread.start();
      }
    }));
  }
}
