package dev.pave.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.config.Config;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans reach a real OTLP/gRPC receiver (opentelemetry-proto's generated TraceService on a Netty
 * server on 127.0.0.1), with Pave's resource attributes, flushed by the STOPPING phase.
 */
class OtlpExportTest {
  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  private Server receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
            received.add(request);
            response.onNext(ExportTraceServiceResponse.getDefaultInstance());
            response.onCompleted();
          }
        })
        .build()
        .start();
  }

  @AfterEach
  void stopReceiver() throws InterruptedException {
    receiver.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void inAChildJvm_otelVariablesAreHonouredAndSigtermFlushesTheSpans(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getPort(),
        "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
        "OTEL_BSP_SCHEDULE_DELAY", "60000",
        "OTEL_RESOURCE_ATTRIBUTES", "k8s.namespace.name=shop",
        "POD_NAME", "payments-7d4f9-abcde");
    Map<String, String> props = Map.of(
        "test.span", "true",
        "service.version", "2.0.0",
        "lifecycle.drain-delay", "0ms",
        // generous, with a grace period to match: the first export loads the exporter's classes
        // and connects, which takes seconds on a loaded 2-core CI machine
        "lifecycle.telemetry-flush-timeout", "25s",
        "lifecycle.termination-grace-period", "60s");
    try (ChildService child = ChildService.start(dir, props, env)) {
      child.adminPort();
      assertThat(received).isEmpty(); // the 60 s batch delay holds the span back

      child.signal("TERM");

      assertThat(child.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(received).as("exported during STOPPING; child output:%n%s", child.output()).isNotEmpty();
      ResourceSpans resourceSpans = received.get(0).getResourceSpans(0);
      Map<String, String> resource = resourceSpans.getResource().getAttributesList().stream()
          .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> a));
      assertThat(resource)
          .containsEntry("service.name", "test-service")
          .containsEntry("service.version", "2.0.0")
          .containsEntry("k8s.pod.name", "payments-7d4f9-abcde")
          .containsEntry("k8s.namespace.name", "shop");
      assertThat(resourceSpans.getScopeSpans(0).getSpans(0).getName()).isEqualTo("startup-work");
    }
  }

  @Test
  void spansBufferedAtShutdown_areExportedOverOtlpGrpcWithPaveResourceAttributes() {
    Config config = Config.builder()
        .override("admin.host", "127.0.0.1")
        .override("admin.port", "0")
        .override("lifecycle.drain-delay", "0ms")
        // generous, with a grace period to match: the first export loads the exporter's classes
        // and connects, which took over 10 s once on a loaded 2-core machine
        .override("lifecycle.telemetry-flush-timeout", "25s")
        .override("lifecycle.termination-grace-period", "60s")
        .override("service.version", "7.8.9")
        .override("deployment.environment", "prod")
        .override("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + receiver.getPort())
        .override("otel.exporter.otlp.protocol", "grpc")
        // a long batch delay: the span can only arrive through the flush during STOPPING
        .override("otel.bsp.schedule.delay", "60000")
        .build();
    RunningService service = Pave.service("otlp-test").config(config).start(svc -> {});
    service.context().openTelemetry().getTracer("test").spanBuilder("checkout").startSpan().end();
    assertThat(received).isEmpty();

    service.stop();

    assertThat(received).isNotEmpty();
    ResourceSpans resourceSpans = received.get(0).getResourceSpans(0);
    Map<String, String> resource = resourceSpans.getResource().getAttributesList().stream()
        .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> a));
    assertThat(resource)
        .containsEntry("service.name", "otlp-test")
        .containsEntry("service.version", "7.8.9")
        .containsEntry("deployment.environment.name", "prod");
    assertThat(resourceSpans.getScopeSpans(0).getSpans(0).getName()).isEqualTo("checkout");
  }
}
