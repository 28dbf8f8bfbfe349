package dev.pave.samples.checkout;

import dev.pave.config.Config;
import dev.pave.core.Pave;
import dev.pave.core.RunningService;
import dev.pave.grpc.PaveGrpc;
import dev.pave.samples.checkout.v1.CheckoutServiceGrpc;
import dev.pave.samples.checkout.v1.CheckoutServiceGrpc.CheckoutServiceBlockingStub;
import dev.pave.samples.checkout.v1.PlaceOrderRequest;
import dev.pave.samples.checkout.v1.PlaceOrderResponse;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places a few orders with the checkout service and logs each result with its {@code trace_id}
 * (the same id is on checkout's and payments' log lines for that order):
 *
 * <pre>
 * java -cp samples/checkout/target/checkout.jar dev.pave.samples.checkout.DemoClient dns:///127.0.0.1:8080 4
 * </pre>
 *
 * <p>Arguments: the checkout target (default {@value #DEFAULT_TARGET}) and the number of orders
 * (default {@value #DEFAULT_ORDERS}). Exits 0 when every order got an answer (a declined payment is
 * an answer), 1 otherwise.
 *
 * <p>It is itself a small Pave service (started in-process, admin port on 127.0.0.1 chosen by the
 * OS, no drain delay) because that is how a Pave program gets a traced, metered channel: Pave's
 * rules forbid building a gRPC channel or an OpenTelemetry SDK by hand.
 */
public final class DemoClient {
  private static final Logger log = LoggerFactory.getLogger(DemoClient.class);

  /** The checkout target when none is given. */
  public static final String DEFAULT_TARGET = "dns:///127.0.0.1:8080";
  /** The number of orders when none is given. */
  public static final int DEFAULT_ORDERS = 4;

  private static final List<PlaceOrderRequest> ORDERS = List.of(
      order("cus_ada", 1200, "JPY", "tok_visa_4242"),
      order("cus_grace", 4999, "USD", "tok_mastercard_5555"),
      order("cus_alan", 2500, "EUR", "tok_declined_0002"),
      order("cus_linus", 5_000_000, "JPY", "tok_visa_4242"));

  private DemoClient() {}

  /**
   * Places the orders and exits.
   *
   * @param args {@code [target [orders]]}
   */
  public static void main(String[] args) {
    String target = args.length > 0 ? args[0] : DEFAULT_TARGET;
    int orders = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_ORDERS;
    System.exit(placeOrders(target, orders) == orders ? 0 : 1);
  }

  /**
   * Places {@code count} orders with the checkout service at {@code target}.
   *
   * @return how many got an answer (confirmed or declined)
   */
  static int placeOrders(String target, int count) {
    AtomicReference<CheckoutServiceBlockingStub> checkout = new AtomicReference<>();
    try (Config config = Config.builder()
            .override("service.name", "checkout-demo-client")
            .override("grpc.clients.checkout.target", target)
            .override("admin.host", "127.0.0.1")
            .override("admin.port", "0")
            .override("lifecycle.drain-delay", "0s")
            .override("logging.level.dev.pave.core", "WARN") // its own READY/STOPPED lines
            .override("logging.level.dev.pave.grpc", "WARN")
            .build();
        RunningService client = Pave.service("checkout-demo-client").config(config)
            .start(svc -> checkout.set(
                CheckoutServiceGrpc.newBlockingStub(PaveGrpc.from(svc).channel("checkout"))))) {
      Tracer tracer = client.context().openTelemetry().getTracer(DemoClient.class.getName());
      int answered = 0;
      for (int i = 0; i < count; i++) {
        PlaceOrderRequest order = ORDERS.get(i % ORDERS.size());
        Span span = tracer.spanBuilder("demo order").startSpan();
        try (Scope scope = span.makeCurrent()) {
          String traceId = span.getSpanContext().getTraceId();
          PlaceOrderResponse response = checkout.get().placeOrder(order);
          answered++;
          // trace_id is also a field of the line (the span is current), as on the services' lines.
          log.info("order {} for {} {} {}: {}{} trace_id={}", response.getOrderId(),
              order.getAmountMinor(), order.getCurrency(), order.getCustomerId(),
              response.getStatus(),
              response.getDeclineReason().isEmpty() ? "" : " (" + response.getDeclineReason() + ")",
              traceId);
        } catch (StatusRuntimeException e) {
          log.warn("order for {} failed: {} trace_id={}", order.getCustomerId(), e.getStatus(),
              span.getSpanContext().getTraceId());
        } finally {
          span.end();
        }
      }
      return answered;
    }
  }

  private static PlaceOrderRequest order(String customer, long amount, String currency,
      String cardToken) {
    return PlaceOrderRequest.newBuilder().setCustomerId(customer).setAmountMinor(amount)
        .setCurrency(currency).setCardToken(cardToken).build();
  }
}
