package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
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
 *
 * <p><b>Write errors</b> (a full disk, {@code /dev/full}, a closed pipe: security report D11). A
 * batch is encoded into memory (at most {@link #BUFFER_BYTES} before it is written) and then
 * written in one go. If that write fails, every event of the batch is counted as dropped (some of
 * its bytes may have reached the output), one line on stderr says so once per run of failures,
 * and the sink keeps going: the next batch is written as soon as the output takes it again. A
 * failed write may have left a line cut short; the next successful write starts with a newline,
 * so the cut line never joins the next one (the output then holds one incomplete line, or one
 * empty line, at the place of the failure). Logback's own appender stopped for good at the first
 * failure, and {@code System.out} hid the failure altogether ({@link ProcessStdout}).
 */
final class StreamSink extends OutputStreamAppender<ILoggingEvent> {

  /** How long the worker waits for more events after writing a batch: {@value} ns. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int BUFFER_BYTES = 64 * 1024;

  private final LongAdder processed = new LongAdder();
  private final AsyncPipeline pipeline;
  private final ByteArrayOutputStream batch = new ByteArrayOutputStream(BUFFER_BYTES);
  private OutputStream out;
  /** A write failed and may have cut a line: the next write starts with a newline. */
  private boolean lineMayBeCut;
  /** Writes are failing; reported on stderr once, until one succeeds. */
  private boolean failing;
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
    this.out = out;
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
    } else if (batch.size() >= BUFFER_BYTES) {
      writeBatch(); // a long burst: write what has gathered, keep going
    }
  }

  private void writeBatch() {
    streamWriteLock.lock();
    try {
      if (batch.size() > 0) {
        write();
      }
    } finally {
      batch.reset();
      streamWriteLock.unlock();
      processed.add(unflushed);
      unflushed = 0;
    }
  }

  private void write() {
    try {
      if (lineMayBeCut) {
        out.write('\n');
        lineMayBeCut = false;
      }
      batch.writeTo(out);
      out.flush();
      if (failing) {
        failing = false;
        System.err.println("pave-logging: writing log lines to stdout works again");
      }
    } catch (IOException e) {
      lineMayBeCut = true;
      pipeline.lost(unflushed);
      if (!failing) {
        failing = true;
        // Not through the logger: its output is what failed.
        System.err.println("pave-logging: writing log lines to stdout failed (" + e.getMessage()
            + "); lines are dropped and counted in pave_logging_dropped_events_total until a write"
            + " succeeds");
      }
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
