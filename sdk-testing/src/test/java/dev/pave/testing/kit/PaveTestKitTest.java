package dev.pave.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.core.LifecycleState;
import dev.pave.testing.PaveTest;
import dev.pave.testing.PaveTestService;
import dev.pave.testing.SpanTree;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

@PaveTest(value = EchoServiceMain.class,
    properties = "echo.prefix=hello ",
    secrets = "echo.api-key=k3y-of-12chr")
class PaveTestKitTest {

  private static String echo(PaveTestService svc, String text) {
    return ClientCalls.blockingUnaryCall(svc.grpcChannel(), EchoServiceMain.ECHO, CallOptions.DEFAULT, text);
  }

  @Test
  void startsTheServicesMainInProcess_onRandomLoopbackPorts(PaveTestService svc) {
    assertThat(svc.serviceName()).isEqualTo("echo");
    assertThat(svc.state()).isEqualTo(LifecycleState.READY);
    assertThat(svc.grpcPort()).isPositive().isNotEqualTo(8080);
    assertThat(svc.adminUri().getPort()).isPositive().isNotEqualTo(8081);
    assertThat(svc.admin("/readyz").status()).isEqualTo(200);
    assertThat(svc.admin("/readyz?verbose").body()).contains("api-key");
  }

  @Test
  void testPropertiesAndSecretsReachTheService_andTheSecretIsNeverLogged(PaveTestService svc) {
    assertThat(echo(svc, "world")).isEqualTo("hello world");

    assertThat(svc.logs())
        .anySatisfy(event -> {
          assertThat(event.get("message")).isEqualTo("echoing world with key ******");
          assertThat(event.get("service.name")).isEqualTo("echo");
        })
        .allSatisfy(event -> assertThat(event.toString()).doesNotContain("k3y-of-12chr"));
  }

  @Test
  void aCallIsOneTrace_clientSpanParentOfServerSpan_andItsLogLineCarriesTheTraceId(PaveTestService svc) {
    echo(svc, "traced");

    String traceId = svc.lastTraceId();
    SpanTree trace = svc.trace(traceId);
    SpanData client = trace.span("test.Echo/Echo", SpanKind.CLIENT);
    SpanData server = trace.span("test.Echo/Echo", SpanKind.SERVER);
    assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
    assertThat(trace.children(client)).contains(server);
    assertThat(trace.toString()).contains("test.Echo/Echo [SERVER]");

    assertThat(svc.logs()).anySatisfy(event -> {
      assertThat(event.get("message")).isEqualTo("echoing traced with key ******");
      assertThat(event.get("trace_id")).isEqualTo(traceId);
      assertThat(event.get("span_id")).isEqualTo(server.getSpanId());
    });
  }

  @Test
  void metersRecordTheCall(PaveTestService svc) {
    echo(svc, "counted");

    assertThat(svc.meterRegistry().find("rpc.server.call.duration").timer())
        .isNotNull()
        .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
    assertThat(svc.admin("/metrics").body()).contains("rpc_server_call_duration_seconds");
  }

  @Test
  void drainTurnsReadinessOff_whileCallsAreStillServed_thenStopWalksToStopped(PaveTestService svc) {
    svc.drain();

    assertThat(svc.state()).isEqualTo(LifecycleState.DRAINING);
    assertThat(svc.admin("/readyz").status()).isEqualTo(503);
    assertThat(echo(svc, "still here")).isEqualTo("hello still here");

    svc.stop();
    assertThat(svc.state()).isEqualTo(LifecycleState.STOPPED);
  }
}
