package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes encoded events to the output stream (stdout in production) in batches, and counts every
 * event it was handed, written or not, so that a flush can tell when the queue's content has been
 * processed.
 *
 * <p><b>Batching.</b> Events are encoded into a buffer that is written out when the queue has no
 * more accepted events; the worker then lingers for {@link #LINGER_NANOS} before it looks at the
 * queue again. Under load this turns one {@code write(2)} and one thread wake-up per line into one
 * per batch: in the gRPC benchmark (one access-log line per call) writing each line on its own
 * cost about 0.15 of the calls per second, batching brings that back (docs/benchmarks.md). A line
 * reaches stdout at most about a millisecond later than it would unbatched; an event is counted as
 * processed only once its batch is written, so {@code flush} still means "on the output".
 * Logback's {@code AsyncAppender} has no batching of its own, and logstash-logback-encoder's
 * Disruptor appender has no per-level overflow policy (INFO dropped, WARN kept), hence this small
 * addition to Logback's worker rather than a different queue.
 */
final class StreamSink extends OutputStreamAppender<ILoggingEvent> {

  /** How long the worker waits for more events after writing a batch: {@value} ns. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int BUFFER_BYTES = 64 * 1024;

  private final LongAdder processed = new LongAdder();
  private final AsyncPipeline pipeline;
  private OutputStream batch;
  /** Events written to the batch buffer but not yet out; only the worker thread touches it. */
  private long unflushed;

  /**
   * @param pipeline the queue this sink drains: how many events it accepted, and whether it is
   *     still started (the worker lingers only then)
   */
  StreamSink(AsyncPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Writes through a batch buffer in front of {@code out}; closing the sink never closes {@code out}. */
  void output(OutputStream out) {
    batch = new BufferedOutputStream(out, BUFFER_BYTES);
    setImmediateFlush(false);
    setOutputStream(batch);
  }

  @Override
  public void doAppend(ILoggingEvent event) {
    pipeline.dequeued(event);
    try {
      super.doAppend(event);
    } finally {
      unflushed++;
    }
    if (pipeline.accepted() <= processed.sum() + unflushed) {
      // Nothing else accepted: write the batch out, then give the next batch time to gather.
      writeBatch();
      if (pipeline.isStarted()) {
        LockSupport.parkNanos(LINGER_NANOS);
      }
    }
  }

  private void writeBatch() {
    streamWriteLock.lock();
    try {
      if (isStarted()) {
        batch.flush();
      }
    } catch (IOException e) {
      // As OutputStreamAppender does for a failed write: one error status, then stop.
      started = false;
      addError("IO failure in appender", e);
    } finally {
      streamWriteLock.unlock();
      processed.add(unflushed);
      unflushed = 0;
    }
  }

  @Override
  protected void closeOutputStream() {
    // Called by stop(). The underlying stream (stdout) outlives this sink: successive pipelines
    // share it, so the batch is written out and the stream left open.
    writeBatch();
  }

  /** Events handed to this sink and written out (or failed) so far. */
  long processed() {
    return processed.sum();
  }
}
