package dev.pave.core;

/**
 * The entry point of a Pave service:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   Pave.service("payments").run(svc -> {
 *     var acquirer = svc.register(new AcquirerClient(svc.config().bind("payments", PaymentsConfig.class)));
 *     svc.health().readiness("acquirer", acquirer::ping);
 *   });
 * }
 * }</pre>
 */
public final class Pave {
  private Pave() {}

  /**
   * Starts describing a service.
   *
   * @param name the service name, unless {@code service.name} ({@code SERVICE_NAME}) or else
   *     OpenTelemetry's {@code OTEL_SERVICE_NAME} says otherwise; one name in logs, traces and
   *     {@code /info}
   * @return a builder; finish with {@link PaveServiceBuilder#run(java.util.function.Consumer)}
   * @throws IllegalArgumentException if the name is blank
   */
  public static PaveServiceBuilder service(String name) {
    return new PaveServiceBuilder(name);
  }
}
