package dev.pave.core;

/**
 * Thrown by {@link PaveServiceBuilder#start(java.util.function.Consumer)} when the service cannot
 * start: bad configuration, a termination budget that does not fit the grace period, a port in use,
 * setup code that threw, or a component that failed to start. The message is the one line that was
 * logged; what had started has been stopped.
 */
public final class PaveStartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the one-line reason, naming the failing key or component
   * @param cause the underlying failure, may be null
   */
  public PaveStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
