package dev.pave.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.core.LifecycleComponent;
import dev.pave.core.LifecycleState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LifecycleControllerTest {
  private final List<String> events = new CopyOnWriteArrayList<>();

  private LifecycleComponent component(String name) {
    return new LifecycleComponent() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void start() {
        events.add("start " + name);
      }

      @Override
      public void drain() {
        events.add("drain " + name);
      }

      @Override
      public void stop(Duration timeout) {
        events.add("stop " + name);
      }
    };
  }

  @Test
  void components_startInRegistrationOrderAndStopInReverse() throws Exception {
    LifecycleController lifecycle = new LifecycleController();
    List<LifecycleState> states = new CopyOnWriteArrayList<>();
    lifecycle.onStateChange(states::add);
    lifecycle.register(component("a"));
    lifecycle.register(component("b"));
    lifecycle.register(component("c"));

    lifecycle.startComponents(Duration.ofSeconds(1));
    lifecycle.transition(LifecycleState.READY);
    lifecycle.beginDrain(Duration.ZERO);
    lifecycle.awaitDrainDeadline();
    lifecycle.transition(LifecycleState.STOPPING);
    lifecycle.stopComponents(Duration.ofSeconds(1));
    lifecycle.transition(LifecycleState.STOPPED);

    assertThat(events).containsExactly("start a", "start b", "start c", "drain a", "drain b", "drain c",
        "stop c", "stop b", "stop a");
    assertThat(states).containsExactly(LifecycleState.READY, LifecycleState.DRAINING, LifecycleState.STOPPING,
        LifecycleState.STOPPED);
  }

  @Test
  void aFailingStart_stopsOnlyWhatStartedAndNamesTheComponent() {
    LifecycleController lifecycle = new LifecycleController();
    lifecycle.register(component("a"));
    lifecycle.register(new LifecycleComponent() {
      @Override
      public String name() {
        return "db";
      }

      @Override
      public void start() {
        throw new IllegalStateException("no route to host");
      }

      @Override
      public void stop(Duration timeout) {
        events.add("stop db");
      }
    });
    lifecycle.register(component("c"));

    assertThatThrownBy(() -> lifecycle.startComponents(Duration.ofSeconds(1)))
        .hasMessage("component 'db' failed to start: IllegalStateException: no route to host");
    assertThat(events).containsExactly("start a", "stop a");
  }

  @Test
  void aHungStop_isAbandonedAndTheOthersStillStop() {
    LifecycleController lifecycle = new LifecycleController();
    CountDownLatch never = new CountDownLatch(1);
    lifecycle.register(component("a"));
    lifecycle.register(new LifecycleComponent() {
      @Override
      public String name() {
        return "hung";
      }

      @Override
      public void start() {}

      @Override
      public void stop(Duration timeout) throws InterruptedException {
        never.await();
      }
    });
    try {
      lifecycle.startComponents(Duration.ofSeconds(1));
    } catch (LifecycleController.ComponentStartException e) {
      throw new AssertionError(e);
    }
    long t0 = System.nanoTime();
    lifecycle.stopComponents(Duration.ofMillis(500));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(events).containsExactly("start a", "stop a");
    assertThat(took).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void registering_afterStart_isRefused() throws Exception {
    LifecycleController lifecycle = new LifecycleController();
    lifecycle.startComponents(Duration.ofSeconds(1));
    assertThatThrownBy(() -> lifecycle.register(component("late"))).hasMessageContaining("'late' registered too late");
  }

  @Test
  void drain_repeated_keepsTheFirstDeadline() throws Exception {
    LifecycleController lifecycle = new LifecycleController();
    lifecycle.startComponents(Duration.ofSeconds(1));
    lifecycle.transition(LifecycleState.READY);
    lifecycle.beginDrain(Duration.ofMillis(200));
    lifecycle.beginDrain(Duration.ofSeconds(60));
    long t0 = System.nanoTime();
    lifecycle.awaitDrainDeadline();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.DRAINING);
  }
}
