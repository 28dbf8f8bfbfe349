package dev.pave.core.internal;

import dev.pave.config.Durations;
import dev.pave.core.CoreSettings;
import dev.pave.core.Health;
import dev.pave.core.HealthCheck;
import io.micrometer.core.instrument.util.NamedThreadFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs health checks in the background with a timeout and caches their results, so that probes
 * answer from memory. A check still running from an earlier round is not started again: it keeps
 * reporting its timeout until it returns.
 */
public final class HealthRegistry implements Health {

  /** The two kinds of registered check. */
  public enum Kind {
    READINESS,
    LIVENESS;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Status of one check as last observed. */
  public enum Status {
    UP,
    DOWN,
    PENDING
  }

  /** A cached result: what probes and {@code ?verbose} show. */
  public record CheckStatus(
      String name, Kind kind, Status status, Duration lastDuration, String error, Instant checkedAt) {}

  private final Duration interval;
  private final Duration timeout;
  private final BooleanSupplier lifecycleAdmitsTraffic;
  private final Map<String, Registered> checks = new LinkedHashMap<>();
  private final List<Consumer<CheckStatus>> registrationListeners = new ArrayList<>();
  private final List<Consumer<Boolean>> readinessListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final ExecutorService runners;
  private boolean started;

  public HealthRegistry(Duration interval, Duration timeout, BooleanSupplier lifecycleAdmitsTraffic) {
    this.interval = Objects.requireNonNull(interval, "interval");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.lifecycleAdmitsTraffic = Objects.requireNonNull(lifecycleAdmitsTraffic, "lifecycleAdmitsTraffic");
    this.scheduler = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("pave-health"));
    this.runners = Executors.newCachedThreadPool(new NamedThreadFactory("pave-health-check"));
  }

  @Override
  public void readiness(String name, HealthCheck check) {
    add(name, Kind.READINESS, check);
  }

  @Override
  public void liveness(String name, HealthCheck check) {
    add(name, Kind.LIVENESS, check);
  }

  @Override
  public dev.pave.core.Subscription onReadinessChange(Consumer<Boolean> listener) {
    Objects.requireNonNull(listener, "listener");
    readinessListeners.add(listener);
    return () -> readinessListeners.remove(listener);
  }

  private void readinessChanged() {
    boolean ready = isReady();
    for (Consumer<Boolean> listener : readinessListeners) {
      try {
        listener.accept(ready);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(HealthRegistry.class).warn("readiness listener failed", e);
      }
    }
  }

  /** Calls {@code listener} for every check registered, earlier ones included (for metrics). */
  public synchronized void onRegistration(Consumer<CheckStatus> listener) {
    registrationListeners.add(listener);
    checks.values().forEach(r -> listener.accept(r.status()));
  }

  private void add(String name, Kind kind, HealthCheck check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    if (name.isBlank()) {
      throw new IllegalArgumentException("health check name must not be blank");
    }
    Registered registered;
    synchronized (this) {
      if (checks.containsKey(name)) {
        throw new IllegalArgumentException("a health check named '" + name + "' already exists");
      }
      registered = new Registered(name, kind, check);
      checks.put(name, registered);
      registrationListeners.forEach(l -> l.accept(registered.status()));
    }
    if (kind == Kind.READINESS) {
      readinessChanged(); // a new check counts as failing until its first result
    }
    synchronized (this) {
      if (!started) {
        return;
      }
    }
    schedule(registered);
  }

  /** Starts running the checks, each at once and then every interval. */
  public void start() {
    List<Registered> toSchedule;
    synchronized (this) {
      started = true;
      toSchedule = List.copyOf(checks.values());
    }
    toSchedule.forEach(this::schedule);
  }

  private void schedule(Registered registered) {
    scheduler.scheduleWithFixedDelay(registered::runOnce, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops running checks; cached results stay readable. */
  public void close() {
    scheduler.shutdownNow();
    runners.shutdownNow();
  }

  @Override
  public boolean isReady() {
    return lifecycleAdmitsTraffic.getAsBoolean() && allUp(Kind.READINESS);
  }

  /** Whether no liveness check is failing (a check without a result yet counts as passing). */
  public boolean isLive() {
    return allUp(Kind.LIVENESS);
  }

  private boolean allUp(Kind kind) {
    for (CheckStatus status : snapshot(kind)) {
      if (status.status() == Status.DOWN || (kind == Kind.READINESS && status.status() == Status.PENDING)) {
        return false;
      }
    }
    return true;
  }

  /** The cached status of each check of {@code kind}, in registration order. */
  public List<CheckStatus> snapshot(Kind kind) {
    List<Registered> all;
    synchronized (this) {
      all = List.copyOf(checks.values());
    }
    List<CheckStatus> result = new ArrayList<>();
    for (Registered r : all) {
      if (r.kind == kind) {
        result.add(r.status());
      }
    }
    return result;
  }

  /** Current status of the named check, or null if there is none. */
  public CheckStatus status(String name) {
    Registered r;
    synchronized (this) {
      r = checks.get(name);
    }
    return r == null ? null : r.status();
  }

  private final class Registered {
    final String name;
    final Kind kind;
    final HealthCheck check;
    private final AtomicInteger round = new AtomicInteger();
    private Future<?> running;
    private CheckStatus status;

    Registered(String name, Kind kind, HealthCheck check) {
      this.name = name;
      this.kind = kind;
      this.check = check;
      this.status = new CheckStatus(name, kind, Status.PENDING, Duration.ZERO, "no result yet", null);
    }

    synchronized CheckStatus status() {
      return status;
    }

    void runOnce() {
      int thisRound;
      synchronized (this) {
        if (running != null && !running.isDone()) {
          return; // still hanging from an earlier round; its timeout is already reported
        }
        thisRound = round.incrementAndGet();
        long startNanos = System.nanoTime();
        running = runners.submit(
            () -> {
              HealthCheck.Result result = runCheck();
              record(thisRound, Duration.ofNanos(System.nanoTime() - startNanos), result);
            });
      }
      Future<?> future;
      synchronized (this) {
        future = running;
      }
      scheduler.schedule(
          () -> {
            if (!future.isDone()) {
              record(thisRound, timeout,
                  HealthCheck.Result.unhealthy("timed out after " + Durations.format(timeout)));
              future.cancel(true);
            }
          },
          timeout.toNanos(),
          TimeUnit.NANOSECONDS);
    }

    private HealthCheck.Result runCheck() {
      try {
        HealthCheck.Result result = check.check();
        return result == null ? HealthCheck.Result.unhealthy("check returned null") : result;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return HealthCheck.Result.unhealthy("interrupted");
      } catch (Exception | LinkageError e) {
        return HealthCheck.Result.unhealthy(LifecycleController.describe(e));
      }
    }

    /** First answer for a round wins: a late answer from a round that timed out is dropped. */
    private void record(int forRound, Duration took, HealthCheck.Result result) {
      boolean changed;
      synchronized (this) {
        if (forRound <= recordedRound) {
          return;
        }
        recordedRound = forRound;
        Status before = status.status();
        setStatus(took, result);
        changed = status.status() != before;
      }
      if (changed && kind == Kind.READINESS) {
        readinessChanged(); // outside the lock: a listener may read every check's status
      }
    }

    private void setStatus(Duration took, HealthCheck.Result result) {
      status = new CheckStatus(
          name,
          kind,
          result.isHealthy() ? Status.UP : Status.DOWN,
          took,
          result.isHealthy() ? null : result.message(),
          Instant.now());
    }

    private int recordedRound;
  }
}
