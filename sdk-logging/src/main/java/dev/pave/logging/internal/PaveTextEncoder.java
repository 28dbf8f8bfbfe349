package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import io.opentelemetry.api.trace.SpanContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * The text format for local development: one readable line per event with the same fields as the
 * JSON format, for example
 *
 * <pre>
 * 2026-11-27T09:35:07.120Z INFO  [main] com.example.Payments - approved order.id=42 trace_id=... service.name=payments
 * </pre>
 *
 * <p>Line breaks and control characters in the message and values are escaped ({@code \n}), so an
 * event stays on its line; only an exception's stack trace follows on indented lines.
 */
public final class PaveTextEncoder extends EncoderBase<ILoggingEvent> {

  private final EncoderOptions options;
  private ExceptionRenderer renderer;

  public PaveTextEncoder(EncoderOptions options) {
    this.options = options;
  }

  @Override
  public void start() {
    renderer = new ExceptionRenderer(getContext(), options.maxStackTraceLength());
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    renderer.stop();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    Redactor redactor = options.redactor();
    int max = options.maxFieldLength();
    StringBuilder line = new StringBuilder(256);
    line.append(Timestamps.format(event.getTimeStamp())).append(' ');
    String level = event.getLevel().toString();
    line.append(level);
    for (int i = level.length(); i < 6; i++) {
      line.append(' ');
    }
    line.append('[');
    escape(line, event.getThreadName());
    line.append("] ").append(event.getLoggerName()).append(" - ");
    String message = event.getFormattedMessage();
    escape(line, message == null ? "" : TextLimit.cut(redactor.redact(message), max));

    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc == null) {
      mdc = Map.of();
    }
    for (Map.Entry<String, String> entry : mdc.entrySet()) {
      String name = FieldNames.mdcName(entry.getKey());
      field(line, name, FieldValues.text(name, entry.getValue(), redactor, max));
    }
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        String name = FieldNames.keyValueName(pair.key, mdc);
        field(line, name, FieldValues.text(name, pair.value, redactor, max));
      }
    }
    SpanContext span = TracedEvent.spanContextOf(event);
    if (span.isValid()) {
      field(line, FieldNames.TRACE_ID, span.getTraceId());
      field(line, FieldNames.SPAN_ID, span.getSpanId());
      field(line, FieldNames.TRACE_FLAGS, span.getTraceFlags().asHex());
    }
    IThrowableProxy throwable = event.getThrowableProxy();
    if (throwable != null) {
      field(line, FieldNames.EXCEPTION_TYPE, throwable.getClassName());
      if (throwable.getMessage() != null) {
        field(line, FieldNames.EXCEPTION_MESSAGE, TextLimit.cut(redactor.redact(throwable.getMessage()), max));
      }
    }
    options.resource().forEach((name, value) -> field(line, name, value));
    line.append('\n');
    if (throwable != null) {
      // Stack traces stay multi-line here: this format is for humans at a terminal.
      for (String frame : renderer.stackTrace(event, redactor).split("\n")) {
        line.append('\t').append(frame).append('\n');
      }
    }
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void field(StringBuilder line, String name, String value) {
    line.append(' ');
    escape(line, name);
    line.append('=');
    if (value != null && needsQuotes(value)) {
      line.append('"');
      escape(line, value.replace("\"", "\\\""));
      line.append('"');
    } else {
      escape(line, value);
    }
  }

  private static boolean needsQuotes(String value) {
    if (value.isEmpty()) {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '"' || c == '=' || c < 0x20) {
        return true;
      }
    }
    return false;
  }

  /** Appends {@code text} with line breaks and other control characters escaped. */
  private static void escape(StringBuilder out, String text) {
    if (text == null) {
      out.append("null");
      return;
    }
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
