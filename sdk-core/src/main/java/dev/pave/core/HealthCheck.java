package dev.pave.core;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One health check. It may block (it runs on a background thread with a timeout) and may throw: an
 * exception counts as unhealthy with the exception's message.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Runs the check.
   *
   * @return the result
   * @throws Exception counts as unhealthy
   */
  Result check() throws Exception;

  /**
   * Adapts a boolean check: {@code true} is healthy.
   *
   * @param check the check
   * @return a health check
   */
  static HealthCheck of(BooleanSupplier check) {
    Objects.requireNonNull(check, "check");
    return () -> check.getAsBoolean() ? Result.healthy() : Result.unhealthy("check returned false");
  }

  /** The outcome of a check: healthy, or unhealthy with a message. */
  final class Result {
    private static final Result HEALTHY = new Result(true, "");

    private final boolean healthy;
    private final String message;

    private Result(boolean healthy, String message) {
      this.healthy = healthy;
      this.message = message;
    }

    /**
     * A passing result.
     *
     * @return the healthy result
     */
    public static Result healthy() {
      return HEALTHY;
    }

    /**
     * A failing result.
     *
     * @param message why it fails, shown in {@code ?verbose} output; never put a secret here
     * @return an unhealthy result
     */
    public static Result unhealthy(String message) {
      return new Result(false, Objects.requireNonNull(message, "message"));
    }

    /**
     * Whether the check passed.
     *
     * @return true when healthy
     */
    public boolean isHealthy() {
      return healthy;
    }

    /**
     * Why the check fails.
     *
     * @return the message; empty when healthy
     */
    public String message() {
      return message;
    }

    @Override
    public String toString() {
      return healthy ? "healthy" : "unhealthy: " + message;
    }
  }
}
