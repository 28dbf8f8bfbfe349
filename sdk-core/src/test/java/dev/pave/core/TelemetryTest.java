package dev.pave.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pave.config.Config;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The OpenTelemetry bootstrap, seen through an in-memory span exporter. */
class TelemetryTest {
  private final InMemorySpanExporter exporter = MemorySpanExporterProvider.EXPORTER;
  private RunningService service;

  @org.junit.jupiter.api.BeforeEach
  void reset() {
    exporter.reset();
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.stop();
    }
    MDC.clear();
  }

  private ServiceContext start(Map<String, String> overrides) {
    var builder = Config.builder()
        .override("admin.host", "127.0.0.1")
        .override("admin.port", "0")
        .override("lifecycle.drain-delay", "0ms")
        .override("service.version", "4.5.6")
        .override("deployment.environment", "staging")
        // An exporter chosen by name, as a service chooses one (OpenTelemetry's exporter SPI).
        .override("otel.traces.exporter", MemorySpanExporterProvider.NAME)
        .override("otel.bsp.schedule.delay", "10");
    overrides.forEach(builder::override);
    service = Pave.service("telemetry-test")
        .config(builder.build())
        .start(svc -> {});
    return service.context();
  }

  @Test
  void spans_carryPaveResourceAttributes() {
    ServiceContext svc = start(Map.of());
    Tracer tracer = svc.openTelemetry().getTracer("test");
    tracer.spanBuilder("work").startSpan().end();

    await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().size() == 1);
    List<SpanData> spans = exporter.getFinishedSpanItems();
    var resource = spans.get(0).getResource();
    assertThat(resource.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("telemetry-test");
    assertThat(resource.getAttribute(AttributeKey.stringKey("service.version"))).isEqualTo("4.5.6");
    assertThat(resource.getAttribute(AttributeKey.stringKey("deployment.environment.name"))).isEqualTo("staging");
  }

  @Test
  void propagators_areW3cTraceContextAndBaggage() {
    ServiceContext svc = start(Map.of());
    var propagator = svc.openTelemetry().getPropagators().getTextMapPropagator();
    assertThat(propagator.fields()).contains("traceparent", "baggage");

    Span span = svc.openTelemetry().getTracer("test").spanBuilder("outgoing").startSpan();
    Context context = Context.root().with(span).with(Baggage.builder().put("tenant", "acme").build());
    Map<String, String> headers = new java.util.HashMap<>();
    propagator.inject(context, headers, (carrier, key, value) -> carrier.put(key, value));
    span.end();

    assertThat(headers.get("traceparent")).startsWith(
        "00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-");
    assertThat(headers.get("baggage")).isEqualTo("tenant=acme");
  }

  @Test
  void executor_runsTasksWithTheSubmittersTraceContextAndMdc() throws Exception {
    ServiceContext svc = start(Map.of());
    Tracer tracer = svc.openTelemetry().getTracer("test");
    ExecutorService executor = svc.executor("worker", 2);
    Span parent = tracer.spanBuilder("parent").startSpan();
    Future<String[]> seen;
    try (Scope ignored = parent.makeCurrent()) {
      MDC.put("request_id", "r-42");
      seen = executor.submit(() -> {
        tracer.spanBuilder("child").startSpan().end();
        return new String[] {Span.current().getSpanContext().getTraceId(), MDC.get("request_id"), Thread.currentThread().getName()};
      });
    } finally {
      MDC.remove("request_id");
    }
    String[] result = seen.get(5, TimeUnit.SECONDS);
    parent.end();

    assertThat(result[0]).isEqualTo(parent.getSpanContext().getTraceId());
    assertThat(result[1]).isEqualTo("r-42");
    assertThat(result[2]).startsWith("worker-");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> exporter.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals("child")));
    SpanData child = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("child")).findFirst().orElseThrow();
    assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    // and the worker thread does not keep the MDC after the task
    assertThat(executor.submit(() -> MDC.get("request_id")).get(5, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void contextExecutorsWrap_propagatesToAPlainExecutor() throws Exception {
    ServiceContext svc = start(Map.of());
    Span parent = svc.openTelemetry().getTracer("test").spanBuilder("parent").startSpan();
    ExecutorService plain = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (Scope ignored = parent.makeCurrent()) {
      ExecutorService wrapped = ContextExecutors.wrap(plain);
      assertThat(wrapped.submit(() -> Span.current().getSpanContext().getSpanId()).get(5, TimeUnit.SECONDS))
          .isEqualTo(parent.getSpanContext().getSpanId());
    } finally {
      plain.shutdownNow();
      parent.end();
    }
  }

  @Test
  void withoutAnEndpoint_noExporterIsConfigured_andStopStaysWithinTheFlushBudget() {
    start(Map.of());
    long t0 = System.nanoTime();
    service.stop();
    service = null;
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }
}
