package dev.pave.samples.payments;

import dev.pave.config.Secret;
import dev.pave.core.ContextExecutors;
import dev.pave.core.HealthCheck;
import dev.pave.core.LifecycleComponent;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated card acquirer: the downstream dependency of the payments service. It answers after
 * {@code payments.acquirer-latency}, declines card tokens starting with {@code tok_decline}, and is
 * unreachable while {@code payments.acquirer-outage-file} exists (which the readiness check
 * reports). A lifecycle component: connected from {@code start()} to {@code stop()}.
 */
final class Acquirer implements LifecycleComponent {
  private static final Logger log = LoggerFactory.getLogger(Acquirer.class);

  /** Card tokens with this prefix are declined by the simulated card network. */
  static final String DECLINED_TOKEN_PREFIX = "tok_decline";

  /** The answer of the acquirer. */
  record Decision(boolean approved, String paymentId, String declineReason) {}

  private final Duration latency;
  private final Optional<Path> outageFile;
  private final Executor answers;
  private volatile Secret apiKey;
  private volatile boolean connected;

  Acquirer(PaymentsConfig config, ExecutorService executor) {
    this.latency = config.acquirerLatency();
    this.outageFile = config.acquirerOutageFile();
    this.apiKey = config.apiKey();
    // The simulated network round trip holds no thread: the JDK's delay scheduler hands the answer
    // to the service's executor after the latency (Pave's rules forbid sleeping in a handler).
    // ContextExecutors.wrap captures the caller's trace context at submission, so the answer is
    // computed, and logged, in the RPC's span although another thread submits it.
    this.answers = ContextExecutors.wrap(
        CompletableFuture.delayedExecutor(latency.toNanos(), TimeUnit.NANOSECONDS, executor));
  }

  @Override
  public String name() {
    return "acquirer";
  }

  @Override
  public void start() {
    if (apiKey.use(chars -> chars.length == 0)) {
      throw new IllegalStateException("payments.api-key is empty; expected the acquirer API key");
    }
    connected = true;
    log.info("connected to the acquirer (simulated, latency {} ms)", latency.toMillis());
  }

  @Override
  public void stop(Duration timeout) {
    connected = false;
    log.info("disconnected from the acquirer");
  }

  /** The readiness check: connected, and the acquirer reachable. */
  HealthCheck.Result ping() {
    if (!connected) {
      return HealthCheck.Result.unhealthy("not connected");
    }
    if (outageFile.isPresent() && Files.exists(outageFile.get())) {
      return HealthCheck.Result.unhealthy(
          "acquirer unreachable (" + outageFile.get() + " exists)");
    }
    return HealthCheck.Result.healthy();
  }

  /** A new payment id, {@code pay_} and 32 hex digits. */
  static String newPaymentId() {
    return "pay_" + UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * Called when {@code payments.api-key} rotates in the secret volume. An empty key is refused as
   * at startup: the previous key stays in use, and a WARN says so (security report D19).
   */
  void useApiKey(Secret rotated) {
    if (rotated.use(chars -> chars.length == 0)) {
      log.warn("payments.api-key was rotated to an empty value; refused, the previous key stays in use");
      return;
    }
    apiKey = rotated;
    log.info("acquirer API key rotated");
  }

  /**
   * Asks the acquirer to authorize a payment. The simulated acquirer commits its decision when it
   * answers, and only if the caller is still waiting: a caller whose deadline passed, or who
   * cancelled, is charged nothing (a client that retries would otherwise be charged twice;
   * security report D19).
   *
   * @param callerGone whether the caller gave up (the gRPC call's context is cancelled)
   * @return completes after the configured latency; fails with {@code UNAVAILABLE} when the
   *     acquirer is not connected or unreachable, and with {@code CANCELLED} when the caller gave up
   *     first (nothing authorized)
   */
  CompletableFuture<Decision> authorize(long amountMinor, String currency, String cardToken,
      BooleanSupplier callerGone) {
    if (!ping().isHealthy()) {
      return CompletableFuture.failedFuture(
          Status.UNAVAILABLE.withDescription("acquirer unreachable").asRuntimeException());
    }
    boolean approved = !cardToken.startsWith(DECLINED_TOKEN_PREFIX);
    return CompletableFuture.supplyAsync(() -> {
      if (callerGone.getAsBoolean()) {
        throw Status.CANCELLED.withDescription("the caller gave up before the acquirer answered; nothing authorized")
            .asRuntimeException();
      }
      return new Decision(approved, newPaymentId(), approved ? "" : "card_declined");
    }, answers);
  }
}
