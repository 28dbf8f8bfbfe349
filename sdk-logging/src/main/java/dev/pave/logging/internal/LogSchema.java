package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * The fields of a log line, in order: the one list both formats iterate (design review A7), so a
 * field is added, renamed or moved in one place (and in docs/logging.md's schema table).
 * {@link PaveJsonEncoder} writes every field as a JSON member; {@link PaveTextEncoder} puts the
 * five {@linkplain Name#head() head} fields in its {@code timestamp LEVEL [thread] logger - message}
 * head, the others after it as {@code name=value}, and the stack trace on the lines below.
 *
 * <p>An enum rather than a list of lambdas: the constants are plain classes, which load cheaper
 * on a cold start than lambdas link (this runs on the first log line).
 */
enum LogSchema {
  TIMESTAMP {
    @Override
    void write(ILoggingEvent event, Encoding encoding, Line line) throws IOException {
      line.timestamp(Name.TIMESTAMP, event.getTimeStamp());
    }
  },
  LEVEL {
    @Override
    void write(ILoggingEvent event, Encoding encoding, Line line) throws IOException {
      line.field(Name.LEVEL, event.getLevel().toString());
    }
  },
  /** Redacted, then cut to {@code logging.field.max-length}. */
  MESSAGE {
    @Override
    void write(ILoggingEvent event, Encoding encoding, Line line) throws IOException {
      String message = event.getFormattedMessage();
      line.field(Name.MESSAGE, message == null ? "" : TextLimit.cut(encoding.redactor().redact(message), encoding.maxFieldLength()));
    }
  },
  LOGGER {
    @Override
    void write(ILoggingEvent event, Encoding encoding, Line line) throws IOException {
      line.field(Name.LOGGER, event.getLoggerName());
    }
  },
  THREAD {
    @Override
    void write(ILoggingEvent event, Encoding encoding, Line line) throws IOException {
      line.field(Name.THREAD, event.getThreadName());
    }
  },
  /** {@code trace_id}, {@code span_id}, {@code trace_flags}, when the event has a valid span. */
  TRACE_CONTEXT {
    @Override
    void write(ILoggingEvent event, Encoding encoding, Line line) throws IOException {
      SpanContext span = TracedEvent.spanContextOf(event);
      if (span.isValid()) {
        line.field(Name.TRACE_ID, span.getTraceId());
        line.field(Name.SPAN_ID, span.getSpanId());
        line.field(Name.TRACE_FLAGS, span.getTraceFlags().asHex());
      }
    }
  },
  /** MDC entries, then SLF4J key-value pairs, under names that never replace a standard field. */
  FIELDS {
    @Override
    void write(ILoggingEvent event, Encoding encoding, Line line) throws IOException {
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc == null) {
        mdc = Map.of();
      }
      for (Map.Entry<String, String> entry : mdc.entrySet()) {
        line.userField(FieldNames.mdcName(entry.getKey()), entry.getValue());
      }
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs != null) {
        for (KeyValuePair pair : pairs) {
          line.userField(FieldNames.keyValueName(pair.key, mdc), pair.value);
        }
      }
    }
  },
  /** {@code exception.type}, {@code exception.message} (redacted, cut), {@code exception.stacktrace}. */
  EXCEPTION {
    @Override
    void write(ILoggingEvent event, Encoding encoding, Line line) throws IOException {
      IThrowableProxy throwable = event.getThrowableProxy();
      if (throwable == null) {
        return;
      }
      line.field(Name.EXCEPTION_TYPE, throwable.getClassName());
      if (throwable.getMessage() != null) {
        line.field(Name.EXCEPTION_MESSAGE, TextLimit.cut(encoding.redactor().redact(throwable.getMessage()), encoding.maxFieldLength()));
      }
      line.field(Name.EXCEPTION_STACKTRACE, encoding.renderer().stackTrace(event, encoding.redactor()));
    }
  },
  /** The resource fields (service, deployment, pod, contributed), identical on every line. */
  RESOURCE {
    @Override
    void write(ILoggingEvent event, Encoding encoding, Line line) throws IOException {
      List<Name> resource = encoding.resource();
      for (int i = 0, n = resource.size(); i < n; i += 2) {
        line.constant(resource.get(i), resource.get(i + 1));
      }
    }
  };

  private static final LogSchema[] ALL = values();

  abstract void write(ILoggingEvent event, Encoding encoding, Line line) throws IOException;

  /** Writes every field of {@code event} to {@code line}, in schema order. */
  static void writeAll(ILoggingEvent event, Encoding encoding, Line line) throws IOException {
    for (LogSchema field : ALL) {
      field.write(event, encoding, line);
    }
  }

  /** Where a line's fields go: a JSON generator or a text line. */
  interface Line {
    void timestamp(Name name, long epochMillis) throws IOException;

    /** A standard field; {@code value} is final (redacted and cut where that applies). */
    void field(Name name, String value) throws IOException;

    /** An MDC or key-value field: the line redacts, cuts and (JSON) types it with {@link FieldValues}. */
    void userField(String name, Object value) throws IOException;

    /** A resource field: name and value constant for the encoder's life. */
    void constant(Name name, Name value) throws IOException;
  }

  /**
   * What an encoder brings to the schema: its options, its stack-trace renderer (started and
   * stopped with the encoder) and the resource fields as name, value, name, value...
   */
  record Encoding(EncoderOptions options, ExceptionRenderer renderer, List<Name> resource) {
    /** Starts an encoding for an encoder of {@code context} (its renderer needs the context). */
    static Encoding start(EncoderOptions options, ch.qos.logback.core.Context context) {
      return of(options, new ExceptionRenderer(context, options.maxStackTraceLength()));
    }

    private static Encoding of(EncoderOptions options, ExceptionRenderer renderer) {
      var resource = new java.util.ArrayList<Name>();
      for (Map.Entry<String, String> field : options.resource().entrySet()) {
        resource.add(new Name(field.getKey(), false));
        resource.add(new Name(field.getValue(), false));
      }
      return new Encoding(options, renderer, List.copyOf(resource));
    }

    /** Stops the renderer; the encoder stops with it. */
    void stop() {
      renderer.stop();
    }

    Redactor redactor() {
      return options.redactor();
    }

    int maxFieldLength() {
      return options.maxFieldLength();
    }
  }

  /** A field name (or constant value) with its JSON form serialized once. */
  static final class Name {
    static final Name TIMESTAMP = new Name(FieldNames.TIMESTAMP, true);
    static final Name LEVEL = new Name(FieldNames.LEVEL, true);
    static final Name MESSAGE = new Name(FieldNames.MESSAGE, true);
    static final Name LOGGER = new Name(FieldNames.LOGGER, true);
    static final Name THREAD = new Name(FieldNames.THREAD, true);
    static final Name TRACE_ID = new Name(FieldNames.TRACE_ID, false);
    static final Name SPAN_ID = new Name(FieldNames.SPAN_ID, false);
    static final Name TRACE_FLAGS = new Name(FieldNames.TRACE_FLAGS, false);
    static final Name EXCEPTION_TYPE = new Name(FieldNames.EXCEPTION_TYPE, false);
    static final Name EXCEPTION_MESSAGE = new Name(FieldNames.EXCEPTION_MESSAGE, false);
    static final Name EXCEPTION_STACKTRACE = new Name(FieldNames.EXCEPTION_STACKTRACE, false);

    private final String text;
    private final SerializableString json;
    private final boolean head;

    Name(String text, boolean head) {
      this.text = text;
      this.json = new SerializedString(text);
      this.head = head;
    }

    String text() {
      return text;
    }

    SerializableString json() {
      return json;
    }

    /** One of the five fields the text format writes in its head rather than as {@code name=value}. */
    boolean head() {
      return head;
    }
  }
}
