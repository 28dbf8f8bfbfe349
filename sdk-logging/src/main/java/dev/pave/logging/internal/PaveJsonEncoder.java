package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.logstash.logback.composite.AbstractJsonProvider;
import net.logstash.logback.composite.JsonProviders;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.decorate.CharacterEscapesJsonFactoryDecorator;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import org.slf4j.event.KeyValuePair;

/**
 * Pave's JSON encoder: logstash-logback-encoder's composite encoder with Pave's schema (see
 * docs/logging.md). Stock providers write level, logger and thread; Pave's providers write the
 * timestamp, the redacted message, trace context, MDC and key-value fields, exception fields and
 * the resource fields.
 *
 * <p>The output is one JSON object per line whatever the input: Jackson escapes quotes, control
 * characters and line breaks, and writes unpaired surrogates as {@code \\uXXXX} escapes. Pave
 * also escapes the characters that JSON allows raw but that readers of the line stumble on
 * ({@link #ESCAPED}): the Unicode line and paragraph separators and NEL, which line-oriented
 * tools and JavaScript treat as line ends, and the bidirectional controls, which make a terminal
 * or a log viewer show text in another order than it was written ("Trojan Source"; security
 * report D18). Through logstash-logback-encoder's {@link CharacterEscapesJsonFactoryDecorator}.
 */
public final class PaveJsonEncoder extends LoggingEventCompositeJsonEncoder {

  /**
   * Escaped as {@code \\uXXXX} beyond JSON's own escapes: NEL, LINE and PARAGRAPH SEPARATOR, the
   * bidirectional embeddings, overrides and isolates, and the left-to-right/right-to-left marks.
   */
  static final int[] ESCAPED = {0x0085, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C,
      0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069};

  /** Creates a started-on-{@link #start()} encoder for {@code options}. */
  public PaveJsonEncoder(EncoderOptions options) {
    setFindAndRegisterJacksonModules(false); // Pave writes no POJOs; skip the ServiceLoader scan
    CharacterEscapesJsonFactoryDecorator escapes = new CharacterEscapesJsonFactoryDecorator();
    for (int character : ESCAPED) {
      escapes.addEscape(new CharacterEscapesJsonFactoryDecorator.Escape(
          character, String.format(java.util.Locale.ROOT, "\\u%04x", character)));
    }
    setJsonFactoryDecorator(escapes);
    setLineSeparator("UNIX");
    JsonProviders<ILoggingEvent> providers = getProviders();
    providers.addProvider(new TimestampProvider());
    LogLevelJsonProvider level = new LogLevelJsonProvider();
    level.setFieldName(FieldNames.LEVEL);
    providers.addProvider(level);
    providers.addProvider(new MessageProvider(options.redactor(), options.maxFieldLength()));
    LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
    logger.setFieldName(FieldNames.LOGGER);
    providers.addProvider(logger);
    LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
    thread.setFieldName(FieldNames.THREAD);
    providers.addProvider(thread);
    providers.addProvider(new TraceContextProvider());
    providers.addProvider(new FieldsProvider(options.redactor(), options.maxFieldLength()));
    providers.addProvider(new ExceptionProvider(options.redactor(), options.maxStackTraceLength(), options.maxFieldLength()));
    providers.addProvider(new ResourceProvider(options.resource()));
  }

  /** {@code @timestamp}: RFC 3339, UTC, milliseconds. */
  static final class TimestampProvider extends AbstractJsonProvider<ILoggingEvent> {
    private static final SerializableString NAME = new SerializedString(FieldNames.TIMESTAMP);
    private static final ThreadLocal<char[]> BUFFER =
        ThreadLocal.withInitial(() -> new char[Timestamps.MAX_LENGTH]);

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
      char[] buffer = BUFFER.get();
      int length = Timestamps.format(event.getTimeStamp(), buffer);
      generator.writeFieldName(NAME);
      generator.writeString(buffer, 0, length);
    }
  }

  /** {@code message}: the formatted message, redacted, then cut to {@code logging.field.max-length}. */
  static final class MessageProvider extends AbstractJsonProvider<ILoggingEvent> {
    private static final SerializableString NAME = new SerializedString(FieldNames.MESSAGE);
    private final Redactor redactor;
    private final int maxLength;

    MessageProvider(Redactor redactor, int maxLength) {
      this.redactor = redactor;
      this.maxLength = maxLength;
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
      String message = event.getFormattedMessage();
      generator.writeFieldName(NAME);
      generator.writeString(message == null ? "" : TextLimit.cut(redactor.redact(message), maxLength));
    }
  }

  /** {@code trace_id}, {@code span_id}, {@code trace_flags} from the OpenTelemetry context. */
  static final class TraceContextProvider extends AbstractJsonProvider<ILoggingEvent> {
    private static final SerializableString TRACE_ID = new SerializedString(FieldNames.TRACE_ID);
    private static final SerializableString SPAN_ID = new SerializedString(FieldNames.SPAN_ID);
    private static final SerializableString FLAGS = new SerializedString(FieldNames.TRACE_FLAGS);

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
      SpanContext span = TracedEvent.spanContextOf(event);
      if (span.isValid()) {
        generator.writeFieldName(TRACE_ID);
        generator.writeString(span.getTraceId());
        generator.writeFieldName(SPAN_ID);
        generator.writeString(span.getSpanId());
        generator.writeFieldName(FLAGS);
        generator.writeString(span.getTraceFlags().asHex());
      }
    }
  }

  /** MDC entries, then SLF4J key-value pairs, as top-level fields that never replace a standard one. */
  static final class FieldsProvider extends AbstractJsonProvider<ILoggingEvent> {
    private final Redactor redactor;
    private final int maxLength;

    FieldsProvider(Redactor redactor, int maxLength) {
      this.redactor = redactor;
      this.maxLength = maxLength;
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc == null) {
        mdc = Map.of();
      }
      for (Map.Entry<String, String> entry : mdc.entrySet()) {
        FieldValues.writeJson(generator, FieldNames.mdcName(entry.getKey()), entry.getValue(), redactor, maxLength);
      }
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs != null) {
        for (KeyValuePair pair : pairs) {
          FieldValues.writeJson(generator, FieldNames.keyValueName(pair.key, mdc), pair.value, redactor, maxLength);
        }
      }
    }
  }

  /** {@code exception.type}, {@code exception.message}, {@code exception.stacktrace}. */
  static final class ExceptionProvider extends AbstractJsonProvider<ILoggingEvent> {
    private static final SerializableString TYPE = new SerializedString(FieldNames.EXCEPTION_TYPE);
    private static final SerializableString MESSAGE = new SerializedString(FieldNames.EXCEPTION_MESSAGE);
    private static final SerializableString STACKTRACE = new SerializedString(FieldNames.EXCEPTION_STACKTRACE);
    private final Redactor redactor;
    private final int maxLength;
    private final int maxMessageLength;
    private ExceptionRenderer renderer;

    ExceptionProvider(Redactor redactor, int maxLength, int maxMessageLength) {
      this.redactor = redactor;
      this.maxLength = maxLength;
      this.maxMessageLength = maxMessageLength;
    }

    @Override
    public void start() {
      renderer = new ExceptionRenderer(getContext(), maxLength);
      super.start();
    }

    @Override
    public void stop() {
      super.stop();
      renderer.stop();
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
      IThrowableProxy throwable = event.getThrowableProxy();
      if (throwable == null) {
        return;
      }
      generator.writeFieldName(TYPE);
      generator.writeString(throwable.getClassName());
      if (throwable.getMessage() != null) {
        generator.writeFieldName(MESSAGE);
        generator.writeString(TextLimit.cut(redactor.redact(throwable.getMessage()), maxMessageLength));
      }
      generator.writeFieldName(STACKTRACE);
      generator.writeString(renderer.stackTrace(event, redactor));
    }
  }

  /** The resource fields, identical on every line. */
  static final class ResourceProvider extends AbstractJsonProvider<ILoggingEvent> {
    // Names and values are constant: serialize them once.
    private final List<SerializableString> names = new ArrayList<>();
    private final List<SerializableString> values = new ArrayList<>();

    ResourceProvider(Map<String, String> resource) {
      resource.forEach(
          (name, value) -> {
            names.add(new SerializedString(name));
            values.add(new SerializedString(value));
          });
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
      for (int i = 0, n = names.size(); i < n; i++) {
        generator.writeFieldName(names.get(i));
        generator.writeString(values.get(i));
      }
    }
  }
}
