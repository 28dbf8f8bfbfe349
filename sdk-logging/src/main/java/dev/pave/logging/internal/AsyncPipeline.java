package dev.pave.logging.internal;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.encoder.Encoder;
import dev.pave.logging.LoggingSettings;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One generation of Pave's output: a bounded queue (Logback's {@link AsyncAppender}) in front of a
 * {@link StreamSink} with the JSON or text encoder.
 *
 * <p>Overflow policy: when the queue is full, events at INFO and below are dropped and counted;
 * WARN and ERROR wait for room up to {@code logging.async.warn-wait} (1 s), then are dropped
 * and counted too. Before, they waited without a bound, so a stdout nobody read parked every
 * thread that logged a warning, the probes and the shutdown with them (security report D5). The
 * bound is kept with a semaphore holding one permit per free slot: an event is put only with a
 * permit (so Logback's put never blocks) and the permit comes back when the writer takes the
 * event. Logback's own discarding is off (threshold 0): its blocking put has no timeout.
 *
 * <p>Memory bound: the queue also holds at most about {@link #MAX_QUEUED_CHARS} characters of
 * messages. Past that, INFO and below are dropped and counted as when the queue is full, so a
 * default-sized queue can absorb a burst of ordinary lines (docs/logging.md, 20,000 in a tight
 * loop) without a few very large messages making it hold hundreds of megabytes. Only messages
 * count here: the slot count already bounds the events' own size, and a queue a service made
 * deeper for its bursts of ordinary lines must not be cut short by this bound.
 *
 * <p>A pipeline is replaced as a whole when settings change: {@link #enter()}/{@link #exit()}
 * bracket each append so that {@link #close(Duration)} stops it only once no thread is still
 * handing it an event.
 */
final class AsyncPipeline extends AsyncAppender {

  /** The memory bound on queued messages, in characters (16 Mi, about 16-32 MiB of heap). */
  static final long MAX_QUEUED_CHARS = 16L * 1024 * 1024;

  /** {@link #waitingAtMost}: the longest the current thread's events wait for room, in nanos. */
  private static final ThreadLocal<Long> WAIT_CAP = new ThreadLocal<>();

  private final LongAdder dropped;
  /** One permit per free slot of the queue. */
  private final Semaphore slots;
  private final long warnWaitNanos;
  private final LongAdder accepted = new LongAdder();
  /** Characters of messages accepted into the queue and not yet handed to the sink. */
  private final LongAdder queuedChars = new LongAdder();
  private final LongAdder inFlight = new LongAdder();
  private final StreamSink sink = new StreamSink(this);
  private volatile boolean closing;

  private AsyncPipeline(LongAdder dropped, int queueSize, Duration warnWait) {
    this.dropped = dropped;
    this.slots = new Semaphore(queueSize);
    this.warnWaitNanos = warnWait.toNanos();
  }

  /**
   * Runs {@code action} with every WARN or ERROR it logs on this thread waiting for room at most
   * {@code cap} (and never longer than {@code logging.async.warn-wait}), then dropped and counted.
   */
  static void waitingAtMost(Duration cap, Runnable action) {
    WAIT_CAP.set(Math.max(0, cap.toNanos()));
    try {
      action.run();
    } finally {
      WAIT_CAP.remove();
    }
  }

  /** Builds and starts a pipeline writing to {@code out}, counting drops into {@code dropped}. */
  static AsyncPipeline start(Context context, LoggingSettings settings, OutputStream out, LongAdder dropped) {
    EncoderOptions options = EncoderOptions.from(settings);
    Encoder<ILoggingEvent> encoder = settings.format() == LoggingSettings.Format.JSON
        ? new PaveJsonEncoder(options)
        : new PaveTextEncoder(options);
    encoder.setContext(context);
    encoder.start();

    AsyncPipeline pipeline = new AsyncPipeline(dropped, settings.queueSize(), settings.warnWait());
    StreamSink sink = pipeline.sink;
    sink.setContext(context);
    sink.setName("PAVE-OUT");
    sink.setEncoder(encoder);
    sink.output(out);
    sink.start();

    pipeline.setContext(context);
    pipeline.setName("PAVE");
    pipeline.setQueueSize(settings.queueSize());
    pipeline.setDiscardingThreshold(0); // Logback never discards: the slots decide (append)
    pipeline.setNeverBlock(false); // a put holds a slot, so it never waits
    pipeline.setIncludeCallerData(false);
    pipeline.setMaxFlushTime(toMillis(settings.shutdownTimeout()));
    pipeline.addAppender(sink);
    pipeline.start();
    return pipeline;
  }

  @Override
  protected void append(ILoggingEvent event) {
    boolean warning = event.getLevel().toInt() > Level.INFO_INT;
    if (!warning && queuedChars.sum() > MAX_QUEUED_CHARS) {
      dropped.increment();
      return;
    }
    if (!takeSlot(warning)) {
      dropped.increment();
      return;
    }
    super.append(event); // preprocess, then a put that finds room: this event holds a slot
  }

  private boolean takeSlot(boolean warning) {
    if (slots.tryAcquire()) {
      return true;
    }
    Long cap = WAIT_CAP.get();
    long waitNanos = cap == null ? warnWaitNanos : Math.min(warnWaitNanos, cap);
    if (!warning || waitNanos == 0) {
      return false;
    }
    try {
      return slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  protected void preprocess(ILoggingEvent event) {
    super.preprocess(event); // copies MDC, formats the message on the calling thread
    queuedChars.add(messageChars(event));
    accepted.increment();
  }

  /** Called by the sink for each event it takes from the queue. */
  void dequeued(ILoggingEvent event) {
    queuedChars.add(-messageChars(event));
    slots.release();
  }

  private static long messageChars(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    return message == null ? 0 : message.length();
  }

  /** Counts {@code events} lost to a failed write as dropped. */
  void lost(long events) {
    dropped.add(events);
  }

  /** Events accepted into the queue so far. */
  long accepted() {
    return accepted.sum();
  }

  /** Registers an append in progress; false if the pipeline is closing (use its successor). */
  boolean enter() {
    inFlight.increment();
    if (closing) {
      inFlight.decrement();
      return false;
    }
    return true;
  }

  void exit() {
    inFlight.decrement();
  }

  /**
   * Waits until every event accepted so far has been written, or {@code timeout} passed.
   *
   * @return true if drained
   */
  boolean awaitDrained(Duration timeout) {
    long target = accepted.sum();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sink.processed() < target) {
      if (!isStarted() || System.nanoTime() - deadline >= 0) {
        return sink.processed() >= target;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return true;
  }

  /**
   * Stops accepting events, waits for appends in progress, then drains the queue to the output
   * within {@code timeout} and stops.
   */
  void close(Duration timeout) {
    closing = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.sum() > 0 && System.nanoTime() - deadline < 0) {
      // An append in progress may be a WARN waiting for room; the worker keeps draining meanwhile.
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
    }
    awaitDrained(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    setMaxFlushTime(toMillis(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    stop(); // the worker writes what is left, then stops the sink and its encoder
  }

  private static int toMillis(Duration duration) {
    long millis = duration.toMillis();
    // AsyncAppenderBase treats 0 as "wait forever"; never ask for that.
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }
}
