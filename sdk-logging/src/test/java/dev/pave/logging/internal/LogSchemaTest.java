package dev.pave.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pave.logging.LoggingSettings;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Both formats write {@link LogSchema}'s fields, in its order (design review A7): the text line's
 * head is the JSON line's first five fields, and its {@code name=value} fields are the JSON line's
 * other fields in the same order (the stack trace goes below the text line).
 */
class LogSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theTextLineHasTheJsonLinesFields_inTheSameOrder() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    EncoderOptions options = EncoderOptions.from(LoggingSettings.builder().serviceName("orders").serviceVersion("1.2").build());
    PaveJsonEncoder json = new PaveJsonEncoder(options);
    json.setContext(context);
    json.start();
    PaveTextEncoder text = new PaveTextEncoder(options);
    text.setContext(context);
    text.start();

    LoggingEvent event = new LoggingEvent("x", context.getLogger("com.example.Orders"), Level.WARN,
        "order {} failed", new IllegalStateException("stock"), new Object[] {42});
    event.setMDCPropertyMap(java.util.Map.of("request.id", "r-1"));
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("order.id", 42));
    SpanContext span = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
    String jsonLine;
    String textLine;
    try (Scope scope = Span.wrap(span).makeCurrent()) {
      jsonLine = new String(json.encode(event), StandardCharsets.UTF_8);
      textLine = new String(text.encode(event), StandardCharsets.UTF_8);
    }

    List<String> jsonNames = new ArrayList<>();
    JSON.readTree(jsonLine).fieldNames().forEachRemaining(jsonNames::add);
    assertThat(jsonNames).startsWith(FieldNames.TIMESTAMP, FieldNames.LEVEL, FieldNames.MESSAGE, FieldNames.LOGGER, FieldNames.THREAD);
    assertThat(jsonNames).contains("trace_id", "request.id", "order.id", "exception.type", "exception.stacktrace", "service.name");

    String first = textLine.lines().findFirst().orElseThrow();
    assertThat(first).matches("\\S+ WARN  \\[main\\] com\\.example\\.Orders - order 42 failed .*");
    List<String> textNames = new ArrayList<>();
    Matcher names = Pattern.compile(" ([\\w.@]+)=").matcher(first.substring(first.indexOf(" failed ")));
    while (names.find()) {
      textNames.add(names.group(1));
    }
    List<String> expected = new ArrayList<>(jsonNames.subList(5, jsonNames.size()));
    expected.remove(FieldNames.EXCEPTION_STACKTRACE);
    assertThat(textNames).isEqualTo(expected);
    assertThat(textLine.lines().skip(1).findFirst().orElseThrow()).startsWith("\tjava.lang.IllegalStateException: stock");

    JsonNode parsed = JSON.readTree(jsonLine);
    assertThat(parsed.get("order.id").isNumber()).isTrue();
    assertThat(first).contains(" order.id=42 ", " trace_id=" + span.getTraceId() + " ");
    assertThat(Arrays.stream(LogSchema.values()).map(Enum::name)).startsWith("TIMESTAMP", "LEVEL", "MESSAGE", "LOGGER", "THREAD");
    json.stop();
    text.stop();
  }
}
