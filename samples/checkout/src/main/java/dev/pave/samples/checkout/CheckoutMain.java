package dev.pave.samples.checkout;

import dev.pave.core.Pave;
import dev.pave.core.ServiceContext;
import dev.pave.grpc.PaveGrpc;
import dev.pave.samples.payments.v1.PaymentServiceGrpc;

/**
 * The checkout service: {@code java -jar samples/checkout/target/checkout.jar}. Calls payments
 * through the channel {@code grpc.clients.payments.*} (target, deadline, retry and circuit breaker
 * in {@code application.yaml}; the target from {@code GRPC_CLIENTS_PAYMENTS_TARGET}).
 */
public final class CheckoutMain {
  private CheckoutMain() {}

  /**
   * Runs the service until SIGTERM/SIGINT.
   *
   * @param args ignored; configuration comes from the environment and {@code application.yaml}
   */
  public static void main(String[] args) {
    Pave.service("checkout").run(CheckoutMain::setup);
  }

  /**
   * The service's whole wiring; tests start it in-process with {@code
   * Pave.service("checkout").config(..).start(CheckoutMain::setup)}.
   *
   * @param svc the service context
   */
  public static void setup(ServiceContext svc) {
    PaveGrpc grpc = PaveGrpc.from(svc);
    var payments = PaymentServiceGrpc.newBlockingStub(grpc.channel("payments"));
    grpc.server().addService(new CheckoutService(payments));
  }
}
