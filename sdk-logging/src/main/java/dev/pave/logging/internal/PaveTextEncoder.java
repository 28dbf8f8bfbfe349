package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

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
  private LogSchema.Encoding encoding;

  public PaveTextEncoder(EncoderOptions options) {
    this.options = options;
  }

  @Override
  public void start() {
    encoding = LogSchema.Encoding.start(options, getContext());
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    encoding.stop();
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
    TextLine line = new TextLine(options);
    try {
      LogSchema.writeAll(event, encoding, line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // a StringBuilder does not throw
    }
    return line.finish().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@link LogSchema}'s fields as a text line: the head fields are held until the first other
   * field (or the end) and written as {@code timestamp LEVEL [thread] logger - message}; the
   * stack trace goes on indented lines below.
   */
  private static final class TextLine implements LogSchema.Line {
    private final EncoderOptions options;
    private final StringBuilder line = new StringBuilder(256);
    private String timestamp;
    private String level;
    private String message;
    private String logger;
    private String thread;
    private boolean headWritten;
    private String stackTrace;

    TextLine(EncoderOptions options) {
      this.options = options;
    }

    @Override
    public void timestamp(LogSchema.Name name, long epochMillis) {
      timestamp = Timestamps.format(epochMillis);
    }

    @Override
    public void field(LogSchema.Name name, String value) {
      if (name == LogSchema.Name.LEVEL) {
        level = value;
      } else if (name == LogSchema.Name.MESSAGE) {
        message = value;
      } else if (name == LogSchema.Name.LOGGER) {
        logger = value;
      } else if (name == LogSchema.Name.THREAD) {
        thread = value;
      } else if (name == LogSchema.Name.EXCEPTION_STACKTRACE) {
        stackTrace = value; // multi-line here: this format is for humans at a terminal
      } else {
        head();
        PaveTextEncoder.field(line, name.text(), value);
      }
    }

    @Override
    public void userField(String name, Object value) {
      head();
      PaveTextEncoder.field(line, name, FieldValues.text(name, value, options.redactor(), options.maxFieldLength()));
    }

    @Override
    public void constant(LogSchema.Name name, LogSchema.Name value) {
      head();
      PaveTextEncoder.field(line, name.text(), value.text());
    }

    private void head() {
      if (headWritten) {
        return;
      }
      headWritten = true;
      line.append(timestamp).append(' ').append(level);
      for (int i = level.length(); i < 6; i++) {
        line.append(' ');
      }
      line.append('[');
      escape(line, thread);
      line.append("] ").append(logger).append(" - ");
      escape(line, message);
    }

    String finish() {
      head();
      line.append('\n');
      if (stackTrace != null) {
        for (String frame : stackTrace.split("\n")) {
          line.append('\t').append(frame).append('\n');
        }
      }
      return line.toString();
    }
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
