package dev.pave.samples.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.config.Config;
import dev.pave.config.ConfigBuilder;
import dev.pave.core.Pave;
import dev.pave.core.RunningService;
import dev.pave.core.ServiceContext;
import dev.pave.grpc.PaveGrpc;
import dev.pave.samples.checkout.v1.CheckoutServiceGrpc;
import dev.pave.samples.checkout.v1.PlaceOrderRequest;
import dev.pave.samples.checkout.v1.PlaceOrderResponse;
import dev.pave.samples.payments.PaymentsMain;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkout calling the real payments sample through Pave's channel, both services started in this
 * JVM on 127.0.0.1 with OS-chosen ports and the samples' own application.yaml settings (deadline,
 * retry, circuit breaker) except the target.
 */
class CheckoutServiceTest {
  @TempDir Path tempDir;
  private Config paymentsConfig;
  private Config checkoutConfig;
  private RunningService payments;
  private RunningService checkout;
  private ManagedChannel channel;
  private CheckoutServiceGrpc.CheckoutServiceBlockingStub stub;

  @BeforeEach
  void start() {
    paymentsConfig = hermetic("payments").secret("payments.api-key", "sk_test_checkout").build();
    payments = start("payments", paymentsConfig, PaymentsMain::setup);
    checkoutConfig = hermetic("checkout")
        .override("grpc.clients.payments.target", "dns:///127.0.0.1:" + grpcPort(payments))
        // The sample's 2 s deadline is for production; a loaded 2-core CI machine can take longer
        // to open the first connection, and these tests are not about latency.
        .override("grpc.clients.payments.default-deadline", "20s")
        .build();
    checkout = start("checkout", checkoutConfig, CheckoutMain::setup);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort(checkout)).usePlaintext().build();
    stub = CheckoutServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    checkout.stop();
    payments.stop();
    checkoutConfig.close();
    paymentsConfig.close();
  }

  private ConfigBuilder hermetic(String name) {
    return Config.builder()
        .configDirectory(tempDir.resolve("no-config-dir"))
        .secretsDirectory(tempDir.resolve("no-secrets-dir"))
        .localSecretsFile(tempDir.resolve("no-secrets.local.age"))
        .override("service.name", name)
        .override("grpc.port", "0")
        .override("grpc.server.host", "127.0.0.1")
        .override("admin.port", "0")
        .override("admin.host", "127.0.0.1")
        .override("lifecycle.drain-delay", "0s")
        .override("payments.acquirer-latency", "5ms");
  }

  private static RunningService start(String name, Config config, Consumer<ServiceContext> setup) {
    return Pave.service(name).config(config).start(setup);
  }

  private static int grpcPort(RunningService service) {
    return PaveGrpc.from(service.context()).server().port();
  }

  private PlaceOrderResponse placeOrder(String cardToken) {
    return stub.withDeadlineAfter(20, TimeUnit.SECONDS).placeOrder(PlaceOrderRequest.newBuilder()
        .setCustomerId("cus_test").setAmountMinor(1200).setCurrency("JPY")
        .setCardToken(cardToken).build());
  }

  @Test
  void placeOrder_paymentApproved_confirmedWithThePaymentId() {
    PlaceOrderResponse response = placeOrder("tok_visa_4242");

    assertThat(response.getStatus()).isEqualTo(PlaceOrderResponse.Status.CONFIRMED);
    assertThat(response.getOrderId()).startsWith("ord_");
    assertThat(response.getPaymentId()).matches("pay_[0-9a-f]{32}");
  }

  @Test
  void placeOrder_paymentDeclined_paymentDeclinedWithTheReason() {
    PlaceOrderResponse response = placeOrder("tok_declined_0002");

    assertThat(response.getStatus()).isEqualTo(PlaceOrderResponse.Status.PAYMENT_DECLINED);
    assertThat(response.getDeclineReason()).isEqualTo("card_declined");
  }

  @Test
  void placeOrder_paymentsRejectsTheInput_invalidArgumentReachesTheCaller() {
    assertThatThrownBy(() -> stub.withDeadlineAfter(20, TimeUnit.SECONDS).placeOrder(PlaceOrderRequest.newBuilder()
            .setCustomerId("cus_test").setAmountMinor(1200).setCurrency("GBP")
            .setCardToken("tok_visa_4242").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("currency");
        });
  }

  @Test
  void placeOrder_paymentsStopped_unavailableAfterRetries() {
    assertThat(placeOrder("tok_visa_4242").getStatus()).isEqualTo(PlaceOrderResponse.Status.CONFIRMED);
    payments.stop();

    assertThatThrownBy(() -> placeOrder("tok_visa_4242"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void demoClient_placesEveryOrderThroughCheckout() {
    assertThat(DemoClient.placeOrders("dns:///127.0.0.1:" + grpcPort(checkout), 4)).isEqualTo(4);
  }
}
