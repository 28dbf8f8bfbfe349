package dev.pave.benchmarks.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.pave.logging.LoggingSettings;
import dev.pave.logging.internal.EncoderOptions;
import dev.pave.logging.internal.PaveJsonEncoder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.event.KeyValuePair;

/**
 * One event (message with 2 args, 3 MDC entries, 3 key-values, an active span) through Pave's
 * JSON encoder (redaction on and off), logstash-logback-encoder's {@code LogstashEncoder} and
 * Logback's own {@code JsonEncoder}: events/s, and bytes allocated per event with {@code -prof gc}.
 *
 * <pre>
 * mvn -B -q -pl benchmarks install -DskipTests
 * java -jar benchmarks/target/benchmarks.jar 'logging.EncoderBenchmark' -f 1 -wi 2 -i 3 -w 2s -r 2s -prof gc
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EncoderBenchmark {

  private LoggerContext context;
  private ILoggingEvent event;
  private Encoder<ILoggingEvent> pave;
  private Encoder<ILoggingEvent> paveNoRedaction;
  private Encoder<ILoggingEvent> logstash;
  private Encoder<ILoggingEvent> logbackJson;
  private Scope spanScope;

  @Setup
  public void setUp() {
    context = new LoggerContext();
    LogbackMDCAdapter mdc = new LogbackMDCAdapter();
    context.setMDCAdapter(mdc);
    mdc.put("request.id", "req-5f2c9a");
    mdc.put("tenant", "acme");
    mdc.put("http.route", "/v1/payments/{id}");
    Logger logger = context.getLogger("com.example.payments.PaymentService");
    LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
        "authorized payment {} for customer {}", null, new Object[] {"pay_8f3a2c", "cus_19ab77"});
    e.addKeyValuePair(new KeyValuePair("order.id", 4_211_337L));
    e.addKeyValuePair(new KeyValuePair("amount.minor", 1200));
    e.addKeyValuePair(new KeyValuePair("currency", "JPY"));
    e.prepareForDeferredProcessing(); // freezes MDC and the formatted message, as an async appender does
    event = e;

    LoggingSettings settings = LoggingSettings.builder().format(LoggingSettings.Format.JSON)
        .serviceName("payments").serviceVersion("1.4.2").deploymentEnvironment("prod")
        .kubernetesPodName("payments-7d9f-abcde").kubernetesNamespace("shop").build();
    pave = start(new PaveJsonEncoder(EncoderOptions.from(settings)));
    paveNoRedaction = start(new PaveJsonEncoder(EncoderOptions.from(settings.toBuilder().redaction(false).build())));
    LogstashEncoder logstashEncoder = new LogstashEncoder();
    logstashEncoder.setIncludeContext(false);
    logstash = start(logstashEncoder);
    logbackJson = start(new JsonEncoder());

    Span span = Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        TraceFlags.getSampled(), TraceState.getDefault()));
    spanScope = span.makeCurrent(); // on the benchmark thread: Pave reads it as it encodes
  }

  private <E extends Encoder<ILoggingEvent>> E start(E encoder) {
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  @TearDown
  public void tearDown() {
    spanScope.close();
    context.stop();
  }

  @Benchmark
  public byte[] pave() {
    return pave.encode(event);
  }

  @Benchmark
  public byte[] paveRedactionOff() {
    return paveNoRedaction.encode(event);
  }

  @Benchmark
  public byte[] logstashEncoder() {
    return logstash.encode(event);
  }

  @Benchmark
  public byte[] logbackJsonEncoder() {
    return logbackJson.encode(event);
  }
}
