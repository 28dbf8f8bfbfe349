package dev.pave.samples.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pave.samples.payments.v1.AuthorizeRequest;
import dev.pave.samples.payments.v1.AuthorizeResponse;
import dev.pave.samples.payments.v1.PaymentServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PaymentService over a real socket, inside a real (in-process) Pave service. */
class PaymentServiceTest {
  @TempDir static Path tempDir;
  static Path outageFile;
  static InProcessPayments payments;
  static PaymentServiceGrpc.PaymentServiceBlockingStub stub;

  @BeforeAll
  static void start() {
    outageFile = tempDir.resolve("acquirer-down");
    payments = InProcessPayments.start(tempDir, Map.of(
        "payments.acquirer-latency", "5ms",
        "payments.approval-limit", "50000",
        "payments.acquirer-outage-file", outageFile.toString()));
    stub = PaymentServiceGrpc.newBlockingStub(payments.channel());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    payments.close();
  }

  private static AuthorizeResponse authorize(long amount, String currency, String cardToken) {
    return stub.withDeadlineAfter(20, TimeUnit.SECONDS).authorize(AuthorizeRequest.newBuilder()
        .setAmountMinor(amount).setCurrency(currency).setCardToken(cardToken)
        .setReference("ord_test").build());
  }

  @Test
  void authorize_validCard_approvedWithPaymentId() {
    AuthorizeResponse response = authorize(1200, "JPY", "tok_visa_4242");

    assertThat(response.getApproved()).isTrue();
    assertThat(response.getPaymentId()).matches("pay_[0-9a-f]{32}");
    assertThat(response.getDeclineReason()).isEmpty();
  }

  @Test
  void authorize_callerDeadlinePassesFirst_nothingIsApproved() throws Exception {
    // Security report D19 (G23): with a 5 ms deadline against the acquirer's latency, the call was
    // cancelled, yet "payment ... approved" was logged 12 ms later: a retrying client pays twice.
    // Here the acquirer takes 500 ms and the caller waits 150 ms.
    try (var slow = InProcessPayments.start(tempDir.resolve("slow"), Map.of("payments.acquirer-latency", "500ms"));
        var capture = dev.pave.logging.PaveLogging.capture()) {
      var slowStub = PaymentServiceGrpc.newBlockingStub(slow.channel());
      assertThatThrownBy(() -> slowStub.withDeadlineAfter(150, TimeUnit.MILLISECONDS).authorize(AuthorizeRequest.newBuilder()
              .setAmountMinor(1200).setCurrency("JPY").setCardToken("tok_visa_4242").setReference("ord_late").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      await().atMost(Duration.ofSeconds(5)).until(() -> capture.lines().stream()
          .anyMatch(line -> line.contains("ord_late") && line.contains("payment not authorized: the caller gave up")));
      assertThat(capture.lines()).noneMatch(line -> line.contains("ord_late") && line.contains("approved"));
    }
  }

  @Test
  void authorize_declinedToken_declinedByTheAcquirer() {
    AuthorizeResponse response = authorize(1200, "JPY", "tok_declined_0002");

    assertThat(response.getApproved()).isFalse();
    assertThat(response.getPaymentId()).startsWith("pay_");
    assertThat(response.getDeclineReason()).isEqualTo("card_declined");
  }

  @Test
  void authorize_amountOverTheConfiguredLimit_declinedOverLimit() {
    AuthorizeResponse response = authorize(50001, "USD", "tok_visa_4242");

    assertThat(response.getApproved()).isFalse();
    assertThat(response.getDeclineReason()).isEqualTo("over_limit");
  }

  @Test
  void authorize_badInput_invalidArgumentNamingTheField() {
    assertThatThrownBy(() -> authorize(0, "JPY", "tok_visa_4242"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("amount_minor");
        });
    assertThatThrownBy(() -> authorize(100, "XXX", "tok_visa_4242"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getDescription()).contains("currency").contains("'XXX'"));
  }

  @Test
  void acquirerOutage_readinessFailsAndCallsAreUnavailable_thenRecovers() throws Exception {
    assertThat(payments.admin("GET", "/readyz?verbose").body()).contains("\"acquirer\"");
    await().atMost(Duration.ofSeconds(5))
        .until(() -> payments.admin("GET", "/readyz").statusCode() == 200);

    Files.createFile(outageFile);
    try {
      await().atMost(Duration.ofSeconds(5))
          .until(() -> payments.admin("GET", "/readyz").statusCode() == 503);
      assertThat(payments.admin("GET", "/readyz?verbose").body())
          .contains("acquirer unreachable");
      assertThatThrownBy(() -> authorize(100, "EUR", "tok_visa_4242"))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      Files.delete(outageFile);
    }
    await().atMost(Duration.ofSeconds(5))
        .until(() -> payments.admin("GET", "/readyz").statusCode() == 200);
    assertThat(authorize(100, "EUR", "tok_visa_4242").getApproved()).isTrue();
  }
}
