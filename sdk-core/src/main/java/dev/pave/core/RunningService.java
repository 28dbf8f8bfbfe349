package dev.pave.core;

import java.net.InetSocketAddress;

/**
 * A service started with {@link PaveServiceBuilder#start(java.util.function.Consumer)}: in the
 * current JVM, without signal handlers and without exiting the JVM. For tests and embedding;
 * production {@code main} methods use {@link PaveServiceBuilder#run(java.util.function.Consumer)}.
 */
public interface RunningService extends AutoCloseable {

  /**
   * The context the setup code received.
   *
   * @return the service context
   */
  ServiceContext context();

  /**
   * Where the admin server listens (useful with {@code admin.port=0}).
   *
   * @return the bound address
   */
  InetSocketAddress adminAddress();

  /**
   * The current lifecycle state.
   *
   * @return the state
   */
  LifecycleState state();

  /**
   * Does what {@code GET /prestop} does: enters DRAINING at once and returns after {@code
   * lifecycle.drain-delay}. Harmless when repeated.
   */
  void preStop();

  /**
   * Does what SIGTERM does: drains (unless already drained) for {@code
   * lifecycle.drain-delay-on-signal}, stops the components in reverse order, flushes telemetry.
   * Blocks until {@link LifecycleState#STOPPED}. Harmless when repeated.
   */
  void stop();

  /** Same as {@link #stop()}. */
  @Override
  void close();
}
