package dev.pave.core;

import java.time.Duration;

/**
 * Anything with a start and a stop that the service lifecycle runs: a server, a connection pool, a
 * consumer. Register it with {@link ServiceContext#register(LifecycleComponent)}.
 *
 * <p>Components start in registration order, on the thread that runs the service setup, and stop
 * in reverse order. A component that throws from {@link #start()} fails startup: the components
 * already started are stopped and the process exits with status 1. A component whose
 * {@link #stop(Duration)} does not return within its timeout is abandoned (reported by name) and
 * the remaining components still stop.
 */
public interface LifecycleComponent {

  /**
   * The name used in logs, e.g. {@code component 'grpc-server' failed to start: ...}.
   *
   * @return the component name; defaults to the simple class name
   */
  default String name() {
    return getClass().getSimpleName();
  }

  /**
   * Starts the component. Called once, in registration order.
   *
   * @throws Exception if the component cannot start; startup then fails
   */
  void start() throws Exception;

  /**
   * Called when the service enters {@link LifecycleState#DRAINING}: stop advertising readiness
   * (e.g. gRPC health NOT_SERVING) but KEEP serving all traffic normally. Must not block.
   */
  default void drain() {}

  /**
   * Called when a drain ends without a stop: a {@code /prestop} that no SIGTERM followed within
   * {@code lifecycle.termination-grace-period}, after which the service is READY again. Advertise
   * readiness again (undo {@link #drain()}). Must not block.
   */
  default void resume() {}

  /**
   * Stops the component: stop accepting new work, let in-flight work finish within {@code timeout},
   * then cancel what is left. Called once, in reverse registration order, only if {@link #start()}
   * returned normally.
   *
   * @param timeout how long in-flight work may take before it is cancelled; never negative
   * @throws Exception if stopping failed; it is logged and the remaining components still stop
   */
  void stop(Duration timeout) throws Exception;
}
