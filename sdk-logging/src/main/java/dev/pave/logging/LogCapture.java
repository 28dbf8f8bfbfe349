package dev.pave.logging;

import dev.pave.config.Experimental;
import dev.pave.logging.internal.LineTap;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The lines Pave's output wrote while this capture was open, exactly as written to stdout (JSON
 * or text, after redaction). For tests: {@code sdk-testing} parses them into fields. Obtain one
 * with {@link PaveLogging#capture()}; close it to stop copying. Thread-safe.
 */
@Experimental("a test helper; what it captures may grow")
public final class LogCapture implements AutoCloseable {

  /** How long {@link #lines()} waits for queued events to be written: {@value} ms. */
  public static final long DEFAULT_FLUSH_TIMEOUT_MILLIS = 5_000;

  private final LineTap.Capture capture;

  LogCapture(LineTap.Capture capture) {
    this.capture = Objects.requireNonNull(capture, "capture");
  }

  /**
   * Waits until every event logged before this call is written (up to {@value
   * #DEFAULT_FLUSH_TIMEOUT_MILLIS} ms), then returns the lines written since the capture opened,
   * oldest first.
   *
   * @return an immutable list of lines without their line terminators
   */
  public List<String> lines() {
    PaveLogging.flush(Duration.ofMillis(DEFAULT_FLUSH_TIMEOUT_MILLIS));
    return capture.lines();
  }

  /** Forgets the lines captured so far; later lines are still captured. */
  public void clear() {
    PaveLogging.flush(Duration.ofMillis(DEFAULT_FLUSH_TIMEOUT_MILLIS));
    capture.clear();
  }

  /** Stops capturing. Idempotent. */
  @Override
  public void close() {
    capture.close();
  }
}
