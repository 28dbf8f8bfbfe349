package dev.pave.logging;

import dev.pave.logging.internal.LineTap;
import dev.pave.logging.internal.LoggingRuntime;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Runtime control of Pave's logging. Services do not need it: adding {@code sdk-logging}
 * configures SLF4J/Logback by itself (see {@code docs/logging.md}); code logs with
 * {@code LoggerFactory.getLogger(...)}. The lifecycle (sdk-core) and admin endpoints use this class.
 *
 * <p>All methods are thread-safe. They act on the Logback context SLF4J is bound to and throw
 * {@link IllegalStateException} if SLF4J is bound to another provider.
 */
public final class PaveLogging {

  private PaveLogging() {}

  /**
   * The level names Pave accepts everywhere, in any case: {@code logging.level.*}, {@code POST
   * /loglevel} and the gRPC access log; from the most verbose to {@code OFF}. Logback alone would
   * read a typo as DEBUG: Pave refuses it, naming these.
   */
  public static final java.util.List<String> LEVELS = java.util.List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /**
   * Re-applies {@code settings}: format, levels, resource fields, redaction, queue. Events logged
   * during the switch are written by the old or the new output, never lost. Pending level TTLs are
   * cancelled. With a logback.xml that does not include Pave's {@code base.xml}, only the levels
   * apply.
   */
  public static void configure(LoggingSettings settings) {
    LoggingRuntime.configure(Objects.requireNonNull(settings, "settings"));
  }

  /**
   * The settings of Pave's output; empty when a logback.xml without Pave's {@code base.xml}
   * configured Logback (then Pave does not own the output, only the levels).
   */
  public static Optional<LoggingSettings> settings() {
    return Optional.ofNullable(LoggingRuntime.currentSettings());
  }

  /**
   * Sets the level of {@code logger} ({@code "root"} for the root logger) until changed again.
   * {@code level} is TRACE, DEBUG, INFO, WARN, ERROR or OFF (any case); {@code null} or empty
   * resets the logger to inherit its parent's level (the root logger to its configured level).
   *
   * @throws IllegalArgumentException naming the logger if the level is unknown
   */
  public static void setLevel(String logger, String level) {
    LoggingRuntime.setLevel(logger, level, null);
  }

  /**
   * Sets the level of {@code logger} as {@link #setLevel(String, String)} does, and reverts it to
   * the level it had before after {@code ttl}. Changing the same logger again before then keeps
   * that original level as the one to revert to.
   *
   * @throws IllegalArgumentException if the level is unknown or {@code ttl} is not positive
   */
  public static void setLevel(String logger, String level, Duration ttl) {
    LoggingRuntime.setLevel(logger, level, Objects.requireNonNull(ttl, "ttl"));
  }

  /** The effective level of {@code logger} (its own, or inherited). */
  public static String effectiveLevel(String logger) {
    return LoggingRuntime.effectiveLevel(logger);
  }

  /**
   * Events at INFO and below dropped because the async queue was full, since the JVM started
   * (monotonic; for a Micrometer {@code FunctionCounter}).
   */
  public static long droppedEvents() {
    return LoggingRuntime.droppedEvents();
  }

  /**
   * WARN lines about a peer's malformed HTTP/2 stream (an unparseable {@code grpc-timeout} or
   * header) that grpc-java's server handler would have written with a stack trace, and that were
   * dropped instead, since the JVM started (monotonic; for a Micrometer {@code FunctionCounter}).
   * The stream itself is refused either way.
   */
  public static long peerStreamErrors() {
    return LoggingRuntime.peerStreamErrors();
  }

  /**
   * Waits until every event logged before this call is written to the output, or {@code timeout}
   * passed.
   *
   * @return true if everything was written
   */
  public static boolean flush(Duration timeout) {
    return LoggingRuntime.flush(timeout);
  }

  /**
   * Stops logging: logs the drop count if any, drains the queue to the output within
   * {@code timeout}, then stops Logback. Call it last, after everything else stopped: later events
   * are discarded. Idempotent.
   */
  public static void shutdown(Duration timeout) {
    LoggingRuntime.shutdown(timeout);
  }

  /**
   * Starts copying every line Pave's output writes (as written: JSON or text, redacted) until the
   * returned capture is closed. Events logged before this call are written first (up to
   * {@value LogCapture#DEFAULT_FLUSH_TIMEOUT_MILLIS} ms) and are not captured. For tests; the
   * output to stdout is unchanged.
   */
  public static LogCapture capture() {
    flush(Duration.ofMillis(LogCapture.DEFAULT_FLUSH_TIMEOUT_MILLIS));
    return new LogCapture(LineTap.open());
  }

  /**
   * Removes Pave's JVM shutdown hook: the caller (sdk-core's lifecycle) promises to call
   * {@link #shutdown(Duration)} itself, last. Without this, Pave's hook calls it with
   * {@code logging.shutdown.timeout} when the JVM exits, concurrently with other hooks.
   */
  public static void takeOverShutdown() {
    LoggingRuntime.takeOverShutdown();
  }

  /**
   * Writes log lines to the process's stdout file descriptor instead of {@code System.out}, so
   * that a failed write (a full disk, a closed pipe) is seen: the lines it loses are counted in
   * {@link #droppedEvents()} and one line on stderr says so. {@code System.out} swallows write
   * errors. Called by sdk-core when it runs the service as the process; never in a test JVM,
   * where {@code System.out} may be the test runner's capture.
   */
  public static void useProcessStdout() {
    LoggingRuntime.useProcessStdout();
  }
}
