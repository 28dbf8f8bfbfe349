package dev.pave.core;

/**
 * The states of a Pave service: {@code STARTING -> READY -> DRAINING -> STOPPING -> STOPPED}, or
 * {@code STARTING -> FAILED} when a component fails to start.
 */
public enum LifecycleState {
  /** Configuration, telemetry and components are being started; {@code /startupz} answers 503. */
  STARTING,
  /** Every component started; {@code /readyz} answers 200 while all readiness checks pass. */
  READY,
  /** preStop or a signal arrived: readiness fails, all traffic is still served normally. */
  DRAINING,
  /** Components stop in reverse order, telemetry and logs are flushed. */
  STOPPING,
  /** Everything stopped; the process exits with status 0. */
  STOPPED,
  /** Startup failed; what had started was stopped and the process exits with status 1. */
  FAILED;

  /**
   * Whether this state is one of the ends of the lifecycle.
   *
   * @return true for {@link #STOPPED} and {@link #FAILED}
   */
  public boolean isTerminal() {
    return this == STOPPED || this == FAILED;
  }
}
