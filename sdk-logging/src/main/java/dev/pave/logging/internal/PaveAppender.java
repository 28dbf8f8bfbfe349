package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.pave.logging.LoggingSettings;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The appender Pave attaches to the root logger (zero-config) or that {@code base.xml} declares
 * as {@value #NAME}. It captures the trace context on the logging thread and hands the event to
 * the current {@link AsyncPipeline}; reconfiguring swaps the pipeline without losing events.
 *
 * <p>Declared in XML it has no settings: on start it reads them from {@code Config.load()}
 * through {@link LoggingRuntime}.
 */
public final class PaveAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  /** The appender name, for {@code <appender-ref ref="PAVE"/>}. */
  public static final String NAME = "PAVE";

  private final OutputStream out;
  private final LongAdder dropped;
  private volatile AsyncPipeline pipeline;
  private volatile LoggingSettings settings;

  /** Writes to stdout; used by Logback when {@code base.xml} declares the appender. */
  public PaveAppender() {
    this(ProcessStdout.INSTANCE, LoggingRuntime.droppedCounter());
  }

  /** Writes to {@code out}, counting drops into {@code dropped}. */
  PaveAppender(OutputStream out, LongAdder dropped) {
    this.out = new LineTap(Objects.requireNonNull(out, "out"));
    this.dropped = Objects.requireNonNull(dropped, "dropped");
    setName(NAME);
  }

  /** Settings to start with; without them {@link #start()} asks {@link LoggingRuntime}. */
  void initialSettings(LoggingSettings settings) {
    this.settings = settings;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    boolean declaredInXml = settings == null;
    if (declaredInXml) {
      settings = LoggingRuntime.settingsForDeclaredAppender();
    }
    pipeline = AsyncPipeline.start(getContext(), settings, out, dropped);
    super.start();
    if (declaredInXml) {
      LoggingRuntime.declaredAppenderStarted(this);
    }
  }

  /** Replaces the pipeline with one built from {@code next}; events in the old one are written. */
  void apply(LoggingSettings next) {
    AsyncPipeline replacement = AsyncPipeline.start(getContext(), next, out, dropped);
    AsyncPipeline previous = pipeline;
    pipeline = replacement;
    settings = next;
    previous.close(next.shutdownTimeout());
  }

  @Override
  protected void append(ILoggingEvent event) {
    ILoggingEvent problem = LoggingRuntime.takePendingProblem();
    if (problem != null) {
      append(problem);
    }
    ILoggingEvent traced = TracedEvent.capture(event);
    for (;;) {
      AsyncPipeline current = pipeline;
      if (current.enter()) {
        try {
          current.doAppend(traced);
        } finally {
          current.exit();
        }
        return;
      }
      if (current == pipeline) {
        return; // closing without a successor: the appender is stopping
      }
    }
  }

  /** Waits until every event appended so far is written, up to {@code timeout}. */
  boolean flush(Duration timeout) {
    AsyncPipeline current = pipeline;
    return current != null && current.awaitDrained(timeout);
  }

  /** Drains and stops within {@code timeout}. */
  void stop(Duration timeout) {
    if (!isStarted()) {
      return;
    }
    super.stop();
    pipeline.close(timeout);
    LoggingRuntime.appenderStopped(this);
  }

  @Override
  public void stop() {
    LoggingSettings current = settings;
    stop(current != null ? current.shutdownTimeout() : LoggingSettings.DEFAULT_SHUTDOWN_TIMEOUT);
  }

  /** The settings in effect. */
  LoggingSettings settings() {
    return settings;
  }
}
