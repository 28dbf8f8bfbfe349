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
}
