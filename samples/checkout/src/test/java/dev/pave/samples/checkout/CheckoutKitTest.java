package dev.pave.samples.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.samples.checkout.v1.CheckoutServiceGrpc;
import dev.pave.samples.checkout.v1.PlaceOrderRequest;
import dev.pave.testing.PaveTest;
import dev.pave.testing.PaveTestService;
import dev.pave.testing.ProductionReadiness;
import dev.pave.testing.SpanTree;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The checkout sample through sdk-testing's kit, with payments unreachable (nothing listens on
 * 127.0.0.1:1): what a caller sees, what the trace shows, and that the payments channel is
 * production-ready as configured.
 */
@PaveTest(value = CheckoutMain.class, properties = "grpc.clients.payments.target=dns:///127.0.0.1:1")
class CheckoutKitTest {

  @Test
  void paymentsDown_theOrderFailsUnavailableWithinTheChannelDeadline_inOneTrace(PaveTestService svc) {
    var stub = CheckoutServiceGrpc.newBlockingStub(svc.grpcChannel()).withDeadlineAfter(20, TimeUnit.SECONDS);
    long start = System.nanoTime();

    assertThatThrownBy(() -> stub.placeOrder(PlaceOrderRequest.newBuilder()
            .setCustomerId("cus_kit").setAmountMinor(1200).setCurrency("JPY").setCardToken("tok_visa_4242")
            .build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    // grpc.clients.payments.default-deadline is 2s: retries never outlast it.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);

    String traceId = svc.lastTraceId();
    SpanTree trace = svc.trace(traceId);
    SpanData placeOrder = trace.span("checkout.v1.CheckoutService/PlaceOrder", SpanKind.SERVER);
    SpanData authorize = trace.span("payments.v1.PaymentService/Authorize", SpanKind.CLIENT);
    assertThat(authorize.getParentSpanId()).isEqualTo(placeOrder.getSpanId());
  }

  @Test
  void productionReadiness_passesButForTheDeliberatelyMissingReadinessCheck(PaveTestService svc) {
    var report = ProductionReadiness.forEnvironment("prod")
        // as samples/k8s/checkout.yaml sets it
        .environmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4317")
        .check(svc);

    assertThat(report.toString())
        .contains("PASS  every gRPC client has a deadline and a circuit breaker: payments (deadline 2s)");
    // Checkout's only dependency is payments, and making checkout unready when payments is down
    // would take every checkout pod out of the Service at once (a cascading outage); the circuit
    // breaker fails those calls fast instead. The report flags the choice, and a pipeline that
    // accepts it asserts exactly this.
    assertThat(report.items()).filteredOn(item -> !item.passed())
        .extracting(item -> item.name())
        .containsExactly("readiness checks registered");
  }
}
