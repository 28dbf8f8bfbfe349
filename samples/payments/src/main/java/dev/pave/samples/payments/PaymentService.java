package dev.pave.samples.payments;

import dev.pave.samples.payments.v1.AuthorizeRequest;
import dev.pave.samples.payments.v1.AuthorizeResponse;
import dev.pave.samples.payments.v1.PaymentServiceGrpc;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code payments.v1.PaymentService}. Bad input throws {@link IllegalArgumentException}, which
 * Pave answers {@code INVALID_ARGUMENT} with the message; everything else is Pave's too (span,
 * metrics, access log, deadline).
 */
final class PaymentService extends PaymentServiceGrpc.PaymentServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

  private final Acquirer acquirer;
  private final long approvalLimit;
  private final List<String> currencies;

  PaymentService(Acquirer acquirer, PaymentsConfig config) {
    this.acquirer = acquirer;
    this.approvalLimit = config.approvalLimit();
    this.currencies = config.currencies();
  }

  @Override
  public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeResponse> responses) {
    validate(request);
    // Cancelled when the caller's deadline passes or it cancels: the acquirer then authorizes nothing.
    Context call = Context.current();
    CompletableFuture<Acquirer.Decision> decision =
        request.getAmountMinor() > approvalLimit
            ? CompletableFuture.completedFuture(new Acquirer.Decision(false, Acquirer.newPaymentId(), "over_limit"))
            : acquirer.authorize(
                request.getAmountMinor(), request.getCurrency(), request.getCardToken(), call::isCancelled);
    decision.whenComplete((answer, failure) -> {
      if (call.isCancelled()) {
        // Nobody is waiting for the answer; no approval was made after the caller gave up.
        log.atInfo().addKeyValue("payment.reference", request.getReference())
            .log("payment not authorized: the caller gave up (deadline or cancel) before the acquirer answered");
        return;
      }
      if (failure != null) {
        responses.onError(failure); // Pave maps it to a status (UNAVAILABLE stays UNAVAILABLE)
        return;
      }
      log.atInfo()
          .addKeyValue("payment.reference", request.getReference())
          .addKeyValue("amount.minor", request.getAmountMinor())
          .addKeyValue("currency", request.getCurrency())
          .log("payment {} {}{}", answer.paymentId(),
              answer.approved() ? "approved" : "declined",
              answer.approved() ? "" : ": " + answer.declineReason());
      responses.onNext(AuthorizeResponse.newBuilder()
          .setApproved(answer.approved())
          .setPaymentId(answer.paymentId())
          .setDeclineReason(answer.declineReason())
          .build());
      responses.onCompleted();
    });
  }

  private void validate(AuthorizeRequest request) {
    if (request.getAmountMinor() <= 0) {
      throw new IllegalArgumentException(
          "amount_minor must be positive, was " + request.getAmountMinor());
    }
    if (!currencies.contains(request.getCurrency())) {
      throw new IllegalArgumentException(
          "currency must be one of " + currencies + ", was '" + request.getCurrency() + "'");
    }
    if (request.getCardToken().isBlank()) {
      throw new IllegalArgumentException("card_token is required");
    }
  }
}
