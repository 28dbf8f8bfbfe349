package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;
import net.logstash.logback.decorate.CharacterEscapesJsonFactoryDecorator;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

/**
 * Pave's JSON encoder: logstash-logback-encoder's composite encoder (its generator, escapes and
 * line handling) with one provider that writes {@link LogSchema}'s fields in order, the same list
 * the text format iterates (see docs/logging.md).
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
    getProviders().addProvider(new SchemaProvider(options));
  }

  /** Every field of {@link LogSchema}, in its order, as JSON members. */
  static final class SchemaProvider extends AbstractJsonProvider<ILoggingEvent> {
    private final EncoderOptions options;
    private LogSchema.Encoding encoding;

    SchemaProvider(EncoderOptions options) {
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
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
      LogSchema.writeAll(event, encoding, new JsonLine(generator, options));
    }
  }

  private static final class JsonLine implements LogSchema.Line {
    private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[Timestamps.MAX_LENGTH]);
    private final JsonGenerator generator;
    private final EncoderOptions options;

    JsonLine(JsonGenerator generator, EncoderOptions options) {
      this.generator = generator;
      this.options = options;
    }

    @Override
    public void timestamp(LogSchema.Name name, long epochMillis) throws IOException {
      char[] buffer = BUFFER.get(); // RFC 3339, UTC, milliseconds, without a String per line
      int length = Timestamps.format(epochMillis, buffer);
      generator.writeFieldName(name.json());
      generator.writeString(buffer, 0, length);
    }

    @Override
    public void field(LogSchema.Name name, String value) throws IOException {
      generator.writeFieldName(name.json());
      generator.writeString(value);
    }

    @Override
    public void userField(String name, Object value) throws IOException {
      FieldValues.writeJson(generator, name, value, options.redactor(), options.maxFieldLength());
    }

    @Override
    public void constant(LogSchema.Name name, LogSchema.Name value) throws IOException {
      generator.writeFieldName(name.json());
      generator.writeString(value.json());
    }
  }
}
