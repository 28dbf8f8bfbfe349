package dev.pave.core;

/**
 * The service's health checks ({@link ServiceContext#health()}), answered on the admin port by
 * {@code /livez} and {@code /readyz}.
 *
 * <p>Checks run in the background, each with a timeout ({@code health.check-timeout}, default 2 s)
 * and at a fixed interval ({@code health.check-interval}, default 5 s); probes read the cached
 * results, so they answer at once and a hanging dependency cannot hang a probe. A check that
 * times out counts as failing.
 */
public interface Health {

  /**
   * Adds a readiness check: while it fails, {@code /readyz} answers 503 and load balancers route
   * no traffic here. Use it for dependencies the service cannot serve without. Until its first
   * result the check counts as failing.
   *
   * @param name a unique name, shown in {@code /readyz?verbose} and metrics
   * @param check the check
   * @throws IllegalArgumentException if a check with that name already exists
   */
  void readiness(String name, HealthCheck check);

  /**
   * Adds a liveness check: while it fails, {@code /livez} answers 503 and Kubernetes restarts the
   * container. Use it for the process's own health only (a wedged event loop, an unrecoverable
   * error), never for a dependency. Until its first result the check counts as passing.
   *
   * @param name a unique name, shown in {@code /livez?verbose} and metrics
   * @param check the check
   * @throws IllegalArgumentException if a check with that name already exists
   */
  void liveness(String name, HealthCheck check);

  /**
   * Whether the service should receive traffic: started, not draining, and every readiness check
   * passing (cached results).
   *
   * @return true when ready
   */
  boolean isReady();

  /**
   * Calls {@code listener} with {@link #isReady()} whenever a readiness check's result changes
   * (passing to failing or back) or a readiness check is added, so that another health view (gRPC
   * health, a service's own) follows {@code /readyz} without polling. It runs on the thread that
   * saw the change (a health-check thread) and must return quickly; one that throws is logged and
   * the others still run. Lifecycle changes (READY, DRAINING) are {@link
   * Lifecycle#onStateChange}'s.
   *
   * @return closing it removes the listener
   */
  Subscription onReadinessChange(java.util.function.Consumer<Boolean> listener);
}
