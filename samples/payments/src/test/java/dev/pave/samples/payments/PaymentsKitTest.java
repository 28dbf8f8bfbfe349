package dev.pave.samples.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.samples.payments.v1.AuthorizeRequest;
import dev.pave.samples.payments.v1.AuthorizeResponse;
import dev.pave.samples.payments.v1.PaymentServiceGrpc;
import dev.pave.testing.PaveTest;
import dev.pave.testing.PaveTestService;
import dev.pave.testing.ProductionReadiness;
import io.opentelemetry.api.trace.SpanKind;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The payments sample through sdk-testing's kit: its unmodified {@code main} runs in the test JVM
 * with a test secret, on random ports.
 */
@PaveTest(value = PaymentsMain.class,
    properties = "payments.acquirer-latency=5ms",
    secrets = "payments.api-key=sk_test_sample_key")
class PaymentsKitTest {

  private static AuthorizeResponse authorize(PaveTestService svc, String cardToken) {
    return PaymentServiceGrpc.newBlockingStub(svc.grpcChannel())
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .authorize(AuthorizeRequest.newBuilder()
            .setAmountMinor(1200).setCurrency("JPY").setCardToken(cardToken).setReference("ord_kit")
            .build());
  }

  @Test
  void approvesAValidCard_inOneTraceThatItsLogLinesCarry(PaveTestService svc) {
    AuthorizeResponse reply = authorize(svc, "tok_visa_4242");

    assertThat(reply.getApproved()).isTrue();
    String traceId = svc.lastTraceId();
    assertThat(svc.trace(traceId).span("payments.v1.PaymentService/Authorize", SpanKind.SERVER).getTraceId())
        .isEqualTo(traceId);
    assertThat(svc.logs())
        .anySatisfy(event -> assertThat(event.get("trace_id")).isEqualTo(traceId))
        .allSatisfy(event -> assertThat(event.toString()).doesNotContain("sk_test_sample_key"));
  }

  @Test
  void drainsWithoutDroppingCalls(PaveTestService svc) {
    svc.drain();

    assertThat(svc.admin("/readyz").status()).isEqualTo(503);
    assertThat(authorize(svc, "tok_visa_4242").getApproved()).isTrue();
    svc.stop();
  }

  @Test
  void isReadyForProduction(PaveTestService svc) {
    ProductionReadiness.forEnvironment("prod")
        // as samples/k8s/payments.yaml sets it
        .environmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4317")
        .check(svc)
        .assertReady();
  }
}
