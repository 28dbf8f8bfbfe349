package dev.pave.grpc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * A synchronous Logback appender on the root logger that records each event with the trace id
 * current on the logging thread: the id a trace-aware log encoder writes as {@code trace_id}.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  record Line(
      String logger,
      String level,
      String message,
      Map<String, Object> fields,
      String traceId,
      Throwable error) {}

  final List<Line> lines = new CopyOnWriteArrayList<>();

  static CapturedLogs capture() {
    CapturedLogs logs = new CapturedLogs();
    logs.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    logs.start();
    root().addAppender(logs);
    return logs;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  protected void append(ILoggingEvent event) {
    Map<String, Object> fields =
        event.getKeyValuePairs() == null
            ? Map.of()
            : event.getKeyValuePairs().stream()
                .collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value), (a, b) -> b));
    String traceId =
        Span.current().getSpanContext().isValid()
            ? Span.current().getSpanContext().getTraceId()
            : "";
    Throwable error =
        event.getThrowableProxy() instanceof ch.qos.logback.classic.spi.ThrowableProxy proxy
            ? proxy.getThrowable()
            : null;
    lines.add(
        new Line(
            event.getLoggerName(),
            event.getLevel().toString(),
            event.getFormattedMessage(),
            fields,
            traceId,
            error));
  }

  List<Line> from(String logger) {
    return lines.stream().filter(l -> l.logger().equals(logger)).toList();
  }

  @Override
  public void close() {
    root().detachAppender(this);
    stop();
  }
}
