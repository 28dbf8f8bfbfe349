package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ${package}.v1.GreeterGrpc;
import ${package}.v1.HelloReply;
import ${package}.v1.HelloRequest;
import dev.pave.testing.PaveTest;
import dev.pave.testing.PaveTestService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service's unmodified {@code main} in the test JVM, on random ports, with a test secret
 * (sdk-testing's kit, docs/testing.md).
 */
@PaveTest(value = ServiceMain.class, secrets = "${serviceName}.api-key=test-only-api-key")
class ServiceKitTest {

  private static HelloReply sayHello(PaveTestService svc, String name) {
    return GreeterGrpc.newBlockingStub(svc.grpcChannel())
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName(name).build());
  }

  @Test
  void greets_inOneTraceThatItsLogLinesCarry(PaveTestService svc) {
    assertThat(sayHello(svc, "Ada").getMessage()).isEqualTo("Hello, Ada");

    String traceId = svc.lastTraceId();
    assertThat(svc.logs())
        .anySatisfy(event -> assertThat(event.get("trace_id")).isEqualTo(traceId))
        .allSatisfy(event -> assertThat(event.toString()).doesNotContain("test-only-api-key"));
  }

  @Test
  void refusesAnEmptyName(PaveTestService svc) {
    assertThatThrownBy(() -> sayHello(svc, ""))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void drainsWithoutDroppingCalls(PaveTestService svc) {
    svc.drain();

    assertThat(svc.admin("/readyz").status()).isEqualTo(503);
    assertThat(sayHello(svc, "Grace").getMessage()).isEqualTo("Hello, Grace");
    svc.stop();
  }
}
