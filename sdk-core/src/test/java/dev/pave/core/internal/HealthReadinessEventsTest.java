package dev.pave.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pave.core.HealthCheck;
import dev.pave.core.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Readiness as events (design review A8): a listener hears every change of a readiness check's
 * result, so gRPC health follows /readyz without the 500 ms polling thread it had.
 */
class HealthReadinessEventsTest {

  @Test
  void aListenerHearsEachChange_notEachRun_andNothingOnceClosed() throws Exception {
    HealthRegistry health = new HealthRegistry(Duration.ofMillis(20), Duration.ofSeconds(1), () -> true);
    AtomicBoolean database = new AtomicBoolean(true);
    List<Boolean> heard = new CopyOnWriteArrayList<>();
    Subscription subscription = health.onReadinessChange(heard::add);
    try {
      health.readiness("database", () -> database.get() ? HealthCheck.Result.healthy()
          : HealthCheck.Result.unhealthy("connection refused"));
      assertThat(heard).containsExactly(false); // a new check fails until its first result
      health.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);
      assertThat(heard).containsExactly(false, true);

      database.set(false);
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 3);
      database.set(true);
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 4);
      assertThat(heard).containsExactly(false, true, false, true);

      subscription.close();
      database.set(false);
      // The change is recorded (a run saw it), and not heard once closed.
      await().atMost(Duration.ofSeconds(10)).until(() -> !health.isReady());
      assertThat(heard).hasSize(4);
      // Liveness checks are not readiness: adding one is not heard.
      health.liveness("loop", HealthCheck.Result::healthy);
      assertThat(heard).hasSize(4);
    } finally {
      health.close();
    }
  }
}
