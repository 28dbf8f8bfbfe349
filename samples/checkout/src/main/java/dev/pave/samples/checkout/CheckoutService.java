package dev.pave.samples.checkout;

import dev.pave.samples.checkout.v1.CheckoutServiceGrpc;
import dev.pave.samples.checkout.v1.PlaceOrderRequest;
import dev.pave.samples.checkout.v1.PlaceOrderResponse;
import dev.pave.samples.payments.v1.AuthorizeRequest;
import dev.pave.samples.payments.v1.AuthorizeResponse;
import dev.pave.samples.payments.v1.PaymentServiceGrpc.PaymentServiceBlockingStub;
import io.grpc.stub.StreamObserver;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code checkout.v1.CheckoutService}. The payments call inherits this call's deadline and trace
 * (Pave's channel); a payments failure (UNAVAILABLE after retries, an open circuit breaker, a
 * deadline) propagates to the caller with its status.
 */
final class CheckoutService extends CheckoutServiceGrpc.CheckoutServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(CheckoutService.class);

  private final PaymentServiceBlockingStub payments;

  CheckoutService(PaymentServiceBlockingStub payments) {
    this.payments = payments;
  }

  @Override
  public void placeOrder(PlaceOrderRequest request, StreamObserver<PlaceOrderResponse> responses) {
    if (request.getCustomerId().isBlank()) {
      throw new IllegalArgumentException("customer_id is required");
    }
    String orderId = "ord_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    AuthorizeResponse payment = payments.authorize(AuthorizeRequest.newBuilder()
        .setAmountMinor(request.getAmountMinor())
        .setCurrency(request.getCurrency())
        .setCardToken(request.getCardToken())
        .setReference(orderId)
        .build());
    PlaceOrderResponse.Status status = payment.getApproved()
        ? PlaceOrderResponse.Status.CONFIRMED
        : PlaceOrderResponse.Status.PAYMENT_DECLINED;
    log.atInfo()
        .addKeyValue("order.id", orderId)
        .addKeyValue("customer.id", request.getCustomerId())
        .addKeyValue("payment.id", payment.getPaymentId())
        .log("order {} {}", orderId, status);
    responses.onNext(PlaceOrderResponse.newBuilder()
        .setOrderId(orderId)
        .setStatus(status)
        .setPaymentId(payment.getPaymentId())
        .setDeclineReason(payment.getDeclineReason())
        .build());
    responses.onCompleted();
  }
}
