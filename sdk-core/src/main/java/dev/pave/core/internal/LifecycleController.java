package dev.pave.core.internal;

import dev.pave.config.Durations;
import dev.pave.core.CoreSettings;
import dev.pave.core.Lifecycle;
import dev.pave.core.LifecycleComponent;
import dev.pave.core.LifecycleState;
import dev.pave.core.Subscription;
import io.micrometer.core.instrument.util.NamedThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle state machine and component runner: components start in registration order and
 * stop in reverse, each stop bounded by the remaining shutdown budget; a hung stop is abandoned and
 * reported by name. The drain (DRAINING until a deadline) is shared by preStop and signals, so a
 * repeated preStop or signal waits for the same deadline instead of starting a new one.
 */
public final class LifecycleController implements Lifecycle {

  private static final Logger log = LoggerFactory.getLogger(LifecycleController.class);

  /** Floor for the wait on one component's stop, so components after a hung one still get to stop. */
  static final Duration MIN_STOP_WAIT = Duration.ofMillis(250);

  private final CopyOnWriteArrayList<Consumer<LifecycleState>> listeners = new CopyOnWriteArrayList<>();
  private final List<LifecycleComponent> registered = new ArrayList<>();
  private final List<LifecycleComponent> started = new ArrayList<>();
  private final CountDownLatch drainSkipped = new CountDownLatch(1);
  private volatile LifecycleState state = LifecycleState.STARTING;
  private long drainDeadlineNanos;
  private boolean componentsStarting;

  @Override
  public LifecycleState state() {
    return state;
  }

  @Override
  public Subscription onStateChange(Consumer<LifecycleState> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Adds a component; only while STARTING and before the components start. */
  public synchronized <T extends LifecycleComponent> T register(T component) {
    Objects.requireNonNull(component, "component");
    if (state != LifecycleState.STARTING || componentsStarting) {
      throw new IllegalStateException(
          "component '" + component.name() + "' registered too late: register components in the setup"
              + " code passed to Pave.service(...).run(...)");
    }
    registered.add(component);
    return component;
  }

  /**
   * Starts the registered components in order.
   *
   * @throws ComponentStartException naming the first component that failed; the components started
   *     before it have then been stopped within {@code stopBudget}
   */
  public void startComponents(Duration stopBudget) throws ComponentStartException {
    List<LifecycleComponent> toStart;
    synchronized (this) {
      componentsStarting = true;
      toStart = List.copyOf(registered);
    }
    for (LifecycleComponent component : toStart) {
      try {
        log.debug("starting component '{}'", component.name());
        component.start();
        synchronized (this) {
          started.add(component);
        }
      } catch (Exception | LinkageError e) {
        stopComponents(stopBudget);
        throw new ComponentStartException(component.name(), e);
      }
    }
  }

  /** Moves to {@code next} and tells the listeners; returns false if the move is not allowed now. */
  public boolean transition(LifecycleState next) {
    synchronized (this) {
      if (!allowed(state, next)) {
        return false;
      }
      state = next;
    }
    announce(next);
    return true;
  }

  /** Logs the state the lifecycle is now in and tells every listener. */
  private void announce(LifecycleState now) {
    log.info("lifecycle state {}", now);
    for (Consumer<LifecycleState> listener : listeners) {
      try {
        listener.accept(now);
      } catch (RuntimeException e) {
        log.warn("lifecycle listener failed on {}", now, e);
      }
    }
  }

  private static boolean allowed(LifecycleState from, LifecycleState to) {
    switch (to) {
      case READY:
        return from == LifecycleState.STARTING;
      case DRAINING:
        return from == LifecycleState.READY;
      case STOPPING:
        return from == LifecycleState.READY || from == LifecycleState.DRAINING;
      case STOPPED:
        return from == LifecycleState.STOPPING;
      case FAILED:
        return from == LifecycleState.STARTING;
      default:
        return false;
    }
  }

  /**
   * Enters DRAINING (if READY) with a deadline {@code delay} from now, and tells every started
   * component to {@link LifecycleComponent#drain()}. If already draining, keeps the earlier
   * deadline: a repeated preStop or signal changes nothing.
   *
   * @return true if this call started the drain
   */
  public boolean beginDrain(Duration delay) {
    List<LifecycleComponent> toDrain;
    synchronized (this) {
      if (state != LifecycleState.READY) {
        return false;
      }
      drainDeadlineNanos = System.nanoTime() + delay.toNanos();
      toDrain = List.copyOf(started);
    }
    transition(LifecycleState.DRAINING);
    for (LifecycleComponent component : toDrain) {
      try {
        component.drain();
      } catch (RuntimeException e) {
        log.warn("component '{}' failed to drain: {}", component.name(), e.toString());
      }
    }
    return true;
  }

  /**
   * Returns from DRAINING to READY (a drain that no stop followed): every started component is
   * told to {@link LifecycleComponent#resume()}, then the listeners hear READY.
   *
   * @return true if the service was draining and is READY again
   */
  public boolean resumeFromDrain() {
    List<LifecycleComponent> toResume;
    synchronized (this) {
      if (state != LifecycleState.DRAINING) {
        return false;
      }
      state = LifecycleState.READY;
      toResume = List.copyOf(started);
    }
    for (LifecycleComponent component : toResume) {
      try {
        component.resume();
      } catch (RuntimeException e) {
        log.warn("component '{}' failed to resume: {}", component.name(), e.toString());
      }
    }
    announce(LifecycleState.READY);
    return true;
  }

  /**
   * Waits until the drain deadline, or until {@link #skipDrain()}; returns at once when not
   * draining.
   */
  public void awaitDrainDeadline() throws InterruptedException {
    long deadline;
    synchronized (this) {
      if (state != LifecycleState.DRAINING) {
        return;
      }
      deadline = drainDeadlineNanos;
    }
    long remaining = deadline - System.nanoTime();
    if (remaining > 0 && drainSkipped.await(remaining, TimeUnit.NANOSECONDS)) {
      log.info("drain delay skipped");
    }
  }

  /** Ends the drain wait early (a second SIGINT). */
  public void skipDrain() {
    drainSkipped.countDown();
  }

  /**
   * Stops the started components in reverse order within {@code budget}. Each stop is called with
   * the budget left (at least {@link #MIN_STOP_WAIT}); a stop that does not return in that time is
   * abandoned and reported by name, and the remaining components still stop.
   */
  public void stopComponents(Duration budget) {
    List<LifecycleComponent> toStop;
    synchronized (this) {
      toStop = new ArrayList<>(started);
      started.clear();
    }
    long deadline = System.nanoTime() + budget.toNanos();
    for (int i = toStop.size() - 1; i >= 0; i--) {
      LifecycleComponent component = toStop.get(i);
      Duration wait = Duration.ofNanos(Math.max(deadline - System.nanoTime(), MIN_STOP_WAIT.toNanos()));
      // The component gets most of the wait for its graceful part and the rest to cancel, so a
      // well-behaved stop(timeout) that cancels at its timeout returns before we give up on it.
      Duration cancelGrace = min(wait.dividedBy(5), Duration.ofSeconds(1));
      Duration timeout = wait.minus(cancelGrace);
      stopOne(component, timeout, wait);
    }
  }

  private static void stopOne(LifecycleComponent component, Duration timeout, Duration wait) {
    String name = component.name();
    Throwable[] failure = new Throwable[1];
    // Daemon (Micrometer's NamedThreadFactory, Pave's one factory): an abandoned stop must not
    // keep the JVM alive.
    Thread stopper =
        new NamedThreadFactory("pave-stop-" + name).newThread(
            () -> {
              try {
                component.stop(timeout);
              } catch (InterruptedException e) {
                failure[0] = e;
                Thread.currentThread().interrupt();
              } catch (Exception | LinkageError e) {
                failure[0] = e;
              }
            });
    long startNanos = System.nanoTime();
    stopper.start();
    try {
      stopper.join(Math.max(1, wait.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopper.isAlive()) {
      log.error(
          "component '{}' did not stop within {}; abandoned, continuing with the remaining components",
          name,
          Durations.format(wait));
      stopper.interrupt();
      return;
    }
    // join() returned with the thread dead: its write to failure[0] is visible here.
    if (failure[0] != null) {
      log.error("component '{}' failed to stop: {}", name, failure[0].toString(), failure[0]);
      return;
    }
    log.debug("component '{}' stopped in {} ms", name, Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Names the component that failed to start and keeps its cause. */
  public static final class ComponentStartException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String component;

    ComponentStartException(String component, Throwable cause) {
      super("component '" + component + "' failed to start: " + describe(cause), cause);
      this.component = component;
    }

    public String component() {
      return component;
    }
  }

  static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + message;
  }
}
