package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes encoded events to the output stream (stdout in production) and counts every event it was
 * handed, written or not, so that a flush can tell when the queue's content has been processed.
 */
final class StreamSink extends OutputStreamAppender<ILoggingEvent> {

  private final LongAdder processed = new LongAdder();

  @Override
  public void doAppend(ILoggingEvent event) {
    try {
      super.doAppend(event);
    } finally {
      processed.increment();
    }
  }

  /** Events handed to this sink so far. */
  long processed() {
    return processed.sum();
  }
}
