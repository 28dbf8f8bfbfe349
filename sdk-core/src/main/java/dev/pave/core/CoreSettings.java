package dev.pave.core;

import dev.pave.config.Durations;
import dev.pave.config.Config;
import dev.pave.config.ConfigException;
import dev.pave.config.ConfigException.Problem;
import dev.pave.config.DefaultValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * sdk-core's settings: the records below, bound from configuration with {@link Config#bind}, are
 * the one place each of its keys is declared, with its type and {@link DefaultValue}
 * (docs/core.md's table is checked against them). The runtime binds them once at startup; tools
 * bind them too, so that their numbers cannot drift from the runtime's (the samples' Kubernetes
 * manifest test, sdk-testing's production-readiness report). Immutable.
 *
 * @param lifecycle {@code lifecycle.*}
 * @param admin {@code admin.*}
 * @param health {@code health.*}
 */
public record CoreSettings(Lifecycle lifecycle, Admin admin, Health health) {

  /** Root of {@link Lifecycle}'s keys. */
  public static final String LIFECYCLE = "lifecycle";
  /** Root of {@link Admin}'s keys. */
  public static final String ADMIN = "admin";
  /** Root of {@link Health}'s keys. */
  public static final String HEALTH = "health";

  static final String DRAIN_DELAY = "lifecycle.drain-delay";
  static final String DRAIN_DELAY_ON_SIGNAL = "lifecycle.drain-delay-on-signal";
  static final String SHUTDOWN_TIMEOUT = "lifecycle.shutdown-timeout";
  static final String TERMINATION_GRACE_PERIOD = "lifecycle.termination-grace-period";
  static final String TELEMETRY_FLUSH_TIMEOUT = "lifecycle.telemetry-flush-timeout";

  /**
   * {@code lifecycle.*}: how the service drains and stops.
   *
   * @param drainDelay how long {@code /prestop} keeps the pod DRAINING (serving, not ready) before
   *     returning
   * @param drainDelayOnSignal the drain on SIGTERM/SIGINT when no preStop came first; unset means
   *     {@code drainDelay} ({@link #signalDrainDelay()})
   * @param shutdownTimeout time in-flight work gets once STOPPING, shared by every component's stop
   * @param terminationGracePeriod the pod's {@code terminationGracePeriodSeconds} (the Kubernetes
   *     default), against which the termination budget is checked
   * @param telemetryFlushTimeout time given to flushing spans and metrics after the components stop
   * @param exitWhenReady when true, a service run as the process ({@code run}) stops in order as
   *     soon as it is READY, with no drain delay, and exits 0: a training run (sdk-parent's
   *     AppCDS step)
   */
  public record Lifecycle(
      @DefaultValue("5s") Duration drainDelay,
      Optional<Duration> drainDelayOnSignal,
      @DefaultValue("20s") Duration shutdownTimeout,
      @DefaultValue("30s") Duration terminationGracePeriod,
      @DefaultValue("3s") Duration telemetryFlushTimeout,
      @DefaultValue("false") boolean exitWhenReady) {

    /**
     * Checks the values.
     *
     * @throws ConfigException naming every key out of range
     */
    public Lifecycle {
      Objects.requireNonNull(drainDelay, "drainDelay");
      Objects.requireNonNull(drainDelayOnSignal, "drainDelayOnSignal");
      Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
      Objects.requireNonNull(terminationGracePeriod, "terminationGracePeriod");
      Objects.requireNonNull(telemetryFlushTimeout, "telemetryFlushTimeout");
      var problems = new ArrayList<Problem>();
      notNegative(problems, DRAIN_DELAY, drainDelay);
      drainDelayOnSignal.ifPresent(d -> notNegative(problems, DRAIN_DELAY_ON_SIGNAL, d));
      notNegative(problems, SHUTDOWN_TIMEOUT, shutdownTimeout);
      notNegative(problems, TELEMETRY_FLUSH_TIMEOUT, telemetryFlushTimeout);
      positive(problems, TERMINATION_GRACE_PERIOD, terminationGracePeriod);
      ConfigException.throwIfAny(problems);
    }

    /** The drain on a signal: {@link #drainDelayOnSignal()} if set, else {@link #drainDelay()}. */
    public Duration signalDrainDelay() {
      return drainDelayOnSignal.orElse(drainDelay);
    }
  }

  /**
   * {@code admin.*}: the admin HTTP server (health, metrics, {@code /prestop}, {@code /config},
   * {@code /loglevel}).
   *
   * @param host bind address
   * @param port port in [0, 65535], 0 for any free port
   * @param exposeConfig whether {@code GET /config} lists the configuration (secrets masked)
   * @param loglevel {@code admin.loglevel.*}
   */
  public record Admin(
      @DefaultValue("0.0.0.0") String host,
      @DefaultValue("8081") int port,
      @DefaultValue("false") boolean exposeConfig,
      LogLevel loglevel) {

    /**
     * Checks the values.
     *
     * @throws ConfigException if the port is out of range
     */
    public Admin {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(loglevel, "loglevel");
      if (port < 0 || port > 65535) {
        ConfigException.throwIfAny(List.of(new Problem(ADMIN + ".port", VALUE,
            "must be a port number from 0 to 65535 (0 = random), was " + port)));
      }
    }
  }

  /**
   * {@code admin.loglevel.*}.
   *
   * @param enabled whether {@code POST /loglevel} may change levels; off by default, since the
   *     admin port is reachable from the pod network and a level change can flood or silence the
   *     logs
   */
  public record LogLevel(@DefaultValue("false") boolean enabled) {}

  /**
   * {@code health.*}: how health checks run.
   *
   * @param checkInterval how often each registered check runs in the background
   * @param checkTimeout how long one check may take before it counts as unhealthy
   */
  public record Health(@DefaultValue("5s") Duration checkInterval, @DefaultValue("2s") Duration checkTimeout) {

    /**
     * Checks the values.
     *
     * @throws ConfigException naming every key out of range
     */
    public Health {
      Objects.requireNonNull(checkInterval, "checkInterval");
      Objects.requireNonNull(checkTimeout, "checkTimeout");
      var problems = new ArrayList<Problem>();
      positive(problems, HEALTH + ".check-interval", checkInterval);
      positive(problems, HEALTH + ".check-timeout", checkTimeout);
      ConfigException.throwIfAny(problems);
    }
  }

  /** Checks that no section is missing. */
  public CoreSettings {
    Objects.requireNonNull(lifecycle, "lifecycle");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(health, "health");
  }

  /**
   * Binds every sdk-core key from {@code config}: unset keys take their {@link DefaultValue}, and a
   * key under {@code lifecycle}, {@code admin} or {@code health} that no record declares (in a
   * file, a system property or its environment form) is an error.
   *
   * @throws ConfigException listing every key that is malformed, out of range or unknown, each
   *     with its source and what was expected
   */
  public static CoreSettings from(Config config) {
    Objects.requireNonNull(config, "config");
    var problems = new ArrayList<Problem>();
    Lifecycle lifecycle = ConfigException.collect(() -> config.bind(LIFECYCLE, Lifecycle.class), problems);
    Admin admin = ConfigException.collect(() -> config.bind(ADMIN, Admin.class), problems);
    Health health = ConfigException.collect(() -> config.bind(HEALTH, Health.class), problems);
    ConfigException.throwIfAny(problems);
    return new CoreSettings(lifecycle, admin, health);
  }

  /** Every default: what {@link #from} returns when no source sets a key. */
  public static CoreSettings defaults() {
    return new CoreSettings(Config.defaults(Lifecycle.class), Config.defaults(Admin.class),
        Config.defaults(Health.class));
  }

  /**
   * The longest drain: preStop waits {@link #drainDelay()}, a signal without preStop waits {@link
   * #drainDelayOnSignal()}.
   */
  public Duration longestDrain() {
    Duration onSignal = lifecycle.signalDrainDelay();
    return lifecycle.drainDelay().compareTo(onSignal) >= 0 ? lifecycle.drainDelay() : onSignal;
  }

  /**
   * Fails when the worst-case termination (drain + shutdown + telemetry flush) does not fit in the
   * termination grace period, so the service refuses to start instead of being SIGKILLed mid-stop.
   *
   * @throws IllegalStateException naming the three values and the grace period
   */
  public void checkTerminationBudget() {
    Duration shutdownTimeout = lifecycle.shutdownTimeout();
    Duration telemetryFlushTimeout = lifecycle.telemetryFlushTimeout();
    Duration terminationGracePeriod = lifecycle.terminationGracePeriod();
    Duration total = longestDrain().plus(shutdownTimeout).plus(telemetryFlushTimeout);
    if (total.compareTo(terminationGracePeriod) > 0) {
      String drainKey = lifecycle.drainDelay().compareTo(lifecycle.signalDrainDelay()) >= 0
          ? DRAIN_DELAY : DRAIN_DELAY_ON_SIGNAL;
      throw new IllegalStateException(
          "termination budget exceeded: "
              + drainKey + " (" + Durations.format(longestDrain()) + ") + "
              + SHUTDOWN_TIMEOUT + " (" + Durations.format(shutdownTimeout) + ") + "
              + TELEMETRY_FLUSH_TIMEOUT + " (" + Durations.format(telemetryFlushTimeout) + ") = "
              + Durations.format(total) + " exceeds " + TERMINATION_GRACE_PERIOD + " ("
              + Durations.format(terminationGracePeriod) + "); lower them, or raise the pod's "
              + "terminationGracePeriodSeconds and " + TERMINATION_GRACE_PERIOD + " together");
    }
  }

  /**
   * Formats a duration for people: {@code 5s}, {@code 300ms}, {@code 1.5s}.
   *
   * @deprecated use {@link dev.pave.config.Durations#format}, the one formatter of every module
   */
  @Deprecated
  public static String format(Duration d) {
    return Durations.format(d);
  }

  /** The source of a problem found in a value given in code; binding replaces it with the key's source. */
  private static final String VALUE = "value";

  private static void notNegative(List<Problem> problems, String key, Duration value) {
    if (value.isNegative()) {
      problems.add(new Problem(key, VALUE, "must not be negative, was " + Durations.format(value)));
    }
  }

  private static void positive(List<Problem> problems, String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      problems.add(new Problem(key, VALUE, "must be positive, was " + Durations.format(value)));
    }
  }

}
