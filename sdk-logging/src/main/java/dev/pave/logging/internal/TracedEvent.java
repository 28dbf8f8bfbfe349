package dev.pave.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A logging event together with the OpenTelemetry span context that was current on the thread
 * that logged it.
 *
 * <p>The span context must be read on the calling thread: once the event crosses the async queue,
 * {@code Span.current()} answers for the worker thread. This is the same technique as
 * OpenTelemetry's own {@code logback-mdc} instrumentation (a wrapping event), without its MDC
 * copy.
 */
final class TracedEvent implements ILoggingEvent {

  private final ILoggingEvent delegate;
  private final SpanContext spanContext;

  private TracedEvent(ILoggingEvent delegate, SpanContext spanContext) {
    this.delegate = delegate;
    this.spanContext = spanContext;
  }

  /**
   * Returns {@code event} wrapped with the current span context, or {@code event} itself when no
   * valid span is current (no allocation on the untraced path).
   */
  static ILoggingEvent capture(ILoggingEvent event) {
    if (event instanceof TracedEvent) {
      return event;
    }
    SpanContext current = Span.current().getSpanContext();
    return current.isValid() ? new TracedEvent(event, current) : event;
  }

  /**
   * The span context of {@code event}: the one captured on the logging thread, else the one current
   * on this thread (synchronous use of an encoder); invalid when there is none.
   */
  static SpanContext spanContextOf(ILoggingEvent event) {
    if (event instanceof TracedEvent traced) {
      return traced.spanContext;
    }
    return Span.current().getSpanContext();
  }

  @Override
  public String getThreadName() {
    return delegate.getThreadName();
  }

  @Override
  public Level getLevel() {
    return delegate.getLevel();
  }

  @Override
  public String getMessage() {
    return delegate.getMessage();
  }

  @Override
  public Object[] getArgumentArray() {
    return delegate.getArgumentArray();
  }

  @Override
  public String getFormattedMessage() {
    return delegate.getFormattedMessage();
  }

  @Override
  public String getLoggerName() {
    return delegate.getLoggerName();
  }

  @Override
  public LoggerContextVO getLoggerContextVO() {
    return delegate.getLoggerContextVO();
  }

  @Override
  public IThrowableProxy getThrowableProxy() {
    return delegate.getThrowableProxy();
  }

  @Override
  public StackTraceElement[] getCallerData() {
    return delegate.getCallerData();
  }

  @Override
  public boolean hasCallerData() {
    return delegate.hasCallerData();
  }

  @Override
  public List<Marker> getMarkerList() {
    return delegate.getMarkerList();
  }

  @Override
  public Map<String, String> getMDCPropertyMap() {
    return delegate.getMDCPropertyMap();
  }

  /** @deprecated as in {@link ILoggingEvent}; use {@link #getMDCPropertyMap()}. */
  @Deprecated
  @Override
  public Map<String, String> getMdc() {
    return delegate.getMDCPropertyMap();
  }

  @Override
  public long getTimeStamp() {
    return delegate.getTimeStamp();
  }

  @Override
  public int getNanoseconds() {
    return delegate.getNanoseconds();
  }

  @Override
  public Instant getInstant() {
    return delegate.getInstant();
  }

  @Override
  public long getSequenceNumber() {
    return delegate.getSequenceNumber();
  }

  @Override
  public List<KeyValuePair> getKeyValuePairs() {
    return delegate.getKeyValuePairs();
  }

  @Override
  public void prepareForDeferredProcessing() {
    delegate.prepareForDeferredProcessing();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
