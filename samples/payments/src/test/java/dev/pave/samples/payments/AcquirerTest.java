package dev.pave.samples.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.pave.config.Secret;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated acquirer's own rules (security report D19). */
class AcquirerTest {

  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final Acquirer acquirer = new Acquirer(
      new PaymentsConfig(Secret.of("key-1"), Duration.ofMillis(50), 100_000, List.of("JPY"), Optional.empty()),
      executor);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aRotationToAnEmptyKey_isRefusedAndThePreviousKeyStaysInUse() {
    acquirer.useApiKey(Secret.of(""));
    // start() refuses an empty key: it still starts, so the empty key was not taken.
    assertThatCode(acquirer::start).doesNotThrowAnyException();
    acquirer.useApiKey(Secret.of("key-2"));
    assertThatCode(acquirer::start).doesNotThrowAnyException();
  }

  @Test
  void aCallerThatGaveUpBeforeTheAnswer_isAuthorizedNothing() throws Exception {
    acquirer.start();
    AtomicBoolean gone = new AtomicBoolean();
    var decision = acquirer.authorize(1200, "JPY", "tok_visa_4242", gone::get);
    gone.set(true); // the deadline passes while the acquirer works (50 ms)
    var failure = org.assertj.core.api.Assertions.catchThrowable(() -> decision.get(5, TimeUnit.SECONDS));
    assertThat(failure.getCause()).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
    // A caller still waiting is answered.
    assertThat(acquirer.authorize(1200, "JPY", "tok_visa_4242", () -> false).get(5, TimeUnit.SECONDS).approved()).isTrue();
  }
}
