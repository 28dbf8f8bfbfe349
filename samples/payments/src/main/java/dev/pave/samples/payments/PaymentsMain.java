package dev.pave.samples.payments;

import dev.pave.core.Pave;
import dev.pave.core.ServiceContext;
import dev.pave.grpc.PaveGrpc;

/**
 * The payments service: {@code java -jar samples/payments/target/payments.jar}.
 *
 * <p>Configuration: {@code payments.*} ({@link PaymentsConfig}), the secret {@code
 * payments.api-key} (secret volume {@code secrets.dir}, or the age-encrypted {@code
 * secrets.local-file}), and Pave's keys ({@code grpc.port}, {@code admin.port}, {@code
 * lifecycle.*}), each settable from the environment ({@code GRPC_PORT}, {@code SECRETS_DIR},
 * {@code LIFECYCLE_DRAIN_DELAY}...).
 */
public final class PaymentsMain {
  private PaymentsMain() {}

  /**
   * Runs the service until SIGTERM/SIGINT.
   *
   * @param args ignored; configuration comes from the environment and {@code application.yaml}
   */
  public static void main(String[] args) {
    Pave.service("payments").run(PaymentsMain::setup);
  }

  /**
   * The service's whole wiring. {@link #main} runs it as the process; tests (also checkout's)
   * start it in-process with {@code Pave.service("payments").config(..).start(PaymentsMain::setup)}.
   *
   * @param svc the service context
   */
  public static void setup(ServiceContext svc) {
    PaymentsConfig config = svc.config().bind("payments", PaymentsConfig.class);
    Acquirer acquirer = svc.register(new Acquirer(config, svc.executor("acquirer", 4)));
    svc.config().onSecretChange("payments.api-key", acquirer::useApiKey);
    svc.health().readiness("acquirer", acquirer::ping);
    // After the acquirer: the gRPC server stops (and drains its calls) before the acquirer does.
    PaveGrpc.from(svc).server().addService(new PaymentService(acquirer, config));
  }
}
