package dev.pave.config;

import java.util.List;
import java.util.Objects;

/**
 * Invalid or missing configuration. Lists every problem found, each with the key, the source the
 * value came from and what was expected, so that one failed start shows everything to fix.
 *
 * <p>The message never contains a secret value.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The source reported for a key that no source defines. */
  public static final String NO_SOURCE = "not set";

  /**
   * One configuration problem.
   *
   * @param key the configuration key (or the well-known key of the file at fault, such as
   *     {@code secrets.local-file})
   * @param source where the bad value came from, e.g. {@code env PAYMENTS_DB_URL}, or
   *     {@value ConfigException#NO_SOURCE}
   * @param message what was expected, e.g. {@code expected a duration such as 250ms, 5s, 1m or
   *     PT5S, got '5x'}
   */
  public record Problem(String key, String source, String message) {

    /** Validates that every field is present. */
    public Problem {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(message, "message");
    }

    /** Returns {@code key [source]: message}. */
    @Override
    public String toString() {
      return key + " [" + source + "]: " + message;
    }
  }

  private final transient List<Problem> problems;

  /**
   * Creates an exception listing {@code problems}.
   *
   * @param problems at least one problem
   */
  public ConfigException(List<Problem> problems) {
    this(problems, null);
  }

  /**
   * Creates an exception listing {@code problems}, caused by {@code cause}.
   *
   * @param problems at least one problem
   * @param cause the underlying failure, or null; its message must not contain a secret
   */
  public ConfigException(List<Problem> problems, Throwable cause) {
    super(format(problems), cause);
    this.problems = List.copyOf(problems);
  }

  /** Creates an exception with a single problem. */
  public static ConfigException of(String key, String source, String message) {
    return new ConfigException(List.of(new Problem(key, source, message)));
  }

  /**
   * Runs a read that may fail with a {@code ConfigException}: its result, or null with its problems
   * added to {@code problems}. For code that reads several settings and reports every problem at
   * once ({@link #throwIfAny}).
   */
  public static <T> T collect(java.util.function.Supplier<T> read, List<Problem> problems) {
    try {
      return read.get();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  /** Throws a {@code ConfigException} listing {@code problems}, unless there are none. */
  public static void throwIfAny(List<Problem> problems) {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Returns every problem, in the order found. */
  public List<Problem> problems() {
    return problems;
  }

  private static String format(List<Problem> problems) {
    Objects.requireNonNull(problems, "problems");
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    var message = new StringBuilder("Invalid configuration (")
        .append(problems.size())
        .append(problems.size() == 1 ? " problem):" : " problems):");
    for (Problem problem : problems) {
      message.append("\n  - ").append(problem);
    }
    return message.toString();
  }
}
