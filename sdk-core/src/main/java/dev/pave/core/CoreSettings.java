package dev.pave.core;

import dev.pave.config.Config;
import dev.pave.config.SettingsReader;
import java.time.Duration;
import java.util.Objects;

/**
 * Every configuration key of sdk-core, declared once with its default, and the termination budget
 * check. The runtime reads it once at startup; tools read it too, so that their numbers cannot
 * drift from the runtime's (the samples' Kubernetes manifest test, sdk-testing's
 * production-readiness report). Immutable.
 */
public record CoreSettings(
    Duration drainDelay,
    Duration drainDelayOnSignal,
    Duration shutdownTimeout,
    Duration terminationGracePeriod,
    Duration telemetryFlushTimeout,
    String adminHost,
    int adminPort,
    boolean exposeConfig,
    boolean logLevelEnabled,
    Duration healthCheckInterval,
    Duration healthCheckTimeout,
    boolean exitWhenReady) {

  public static final String DRAIN_DELAY = "lifecycle.drain-delay";
  public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(5);
  /** Defaults to the value of {@link #DRAIN_DELAY}. */
  public static final String DRAIN_DELAY_ON_SIGNAL = "lifecycle.drain-delay-on-signal";
  public static final String SHUTDOWN_TIMEOUT = "lifecycle.shutdown-timeout";
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
  public static final String TERMINATION_GRACE_PERIOD = "lifecycle.termination-grace-period";
  /** The Kubernetes default {@code terminationGracePeriodSeconds}. */
  public static final Duration DEFAULT_TERMINATION_GRACE_PERIOD = Duration.ofSeconds(30);
  public static final String TELEMETRY_FLUSH_TIMEOUT = "lifecycle.telemetry-flush-timeout";
  public static final Duration DEFAULT_TELEMETRY_FLUSH_TIMEOUT = Duration.ofSeconds(3);
  public static final String ADMIN_HOST = "admin.host";
  public static final String DEFAULT_ADMIN_HOST = "0.0.0.0";
  public static final String ADMIN_PORT = "admin.port";
  public static final int DEFAULT_ADMIN_PORT = 8081;
  public static final String ADMIN_EXPOSE_CONFIG = "admin.expose-config";
  public static final boolean DEFAULT_ADMIN_EXPOSE_CONFIG = false;
  /**
   * Whether {@code POST /loglevel} may change levels. Off by default: the admin port is reachable
   * from the pod network, and a level change can flood or silence the logs.
   */
  public static final String ADMIN_LOGLEVEL_ENABLED = "admin.loglevel.enabled";
  public static final boolean DEFAULT_ADMIN_LOGLEVEL_ENABLED = false;
  /**
   * When true, a service run as the process ({@code run}) stops in order as soon as it is READY,
   * with no drain delay, and exits 0: a training run. sdk-parent's AppCDS step uses it to record
   * the classes the service loads while it starts.
   */
  public static final String EXIT_WHEN_READY = "lifecycle.exit-when-ready";
  public static final boolean DEFAULT_EXIT_WHEN_READY = false;
  public static final String HEALTH_CHECK_INTERVAL = "health.check-interval";
  public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(5);
  public static final String HEALTH_CHECK_TIMEOUT = "health.check-timeout";
  public static final Duration DEFAULT_HEALTH_CHECK_TIMEOUT = Duration.ofSeconds(2);

  public CoreSettings {
    Objects.requireNonNull(drainDelay, "drainDelay");
    Objects.requireNonNull(drainDelayOnSignal, "drainDelayOnSignal");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    Objects.requireNonNull(terminationGracePeriod, "terminationGracePeriod");
    Objects.requireNonNull(telemetryFlushTimeout, "telemetryFlushTimeout");
    Objects.requireNonNull(adminHost, "adminHost");
    Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
    Objects.requireNonNull(healthCheckTimeout, "healthCheckTimeout");
    requireNotNegative(DRAIN_DELAY, drainDelay);
    requireNotNegative(DRAIN_DELAY_ON_SIGNAL, drainDelayOnSignal);
    requireNotNegative(SHUTDOWN_TIMEOUT, shutdownTimeout);
    requireNotNegative(TELEMETRY_FLUSH_TIMEOUT, telemetryFlushTimeout);
    requirePositive(TERMINATION_GRACE_PERIOD, terminationGracePeriod);
    requirePositive(HEALTH_CHECK_INTERVAL, healthCheckInterval);
    requirePositive(HEALTH_CHECK_TIMEOUT, healthCheckTimeout);
    requirePort(adminPort);
  }

  /**
   * Reads every sdk-core key from {@code config}, with its default.
   *
   * @throws dev.pave.config.ConfigException listing every key whose value is malformed or out of
   *     range, each with its source and what was expected
   */
  public static CoreSettings from(Config config) {
    // Every key is read, and every problem kept, before one exception lists them all.
    SettingsReader reader = new SettingsReader(config);
    Duration drainDelay = reader.read(DRAIN_DELAY, Duration.class, DEFAULT_DRAIN_DELAY);
    Duration drainDelayOnSignal = reader.read(DRAIN_DELAY_ON_SIGNAL, Duration.class, drainDelay);
    Duration shutdownTimeout = reader.read(SHUTDOWN_TIMEOUT, Duration.class, DEFAULT_SHUTDOWN_TIMEOUT);
    Duration terminationGracePeriod =
        reader.read(TERMINATION_GRACE_PERIOD, Duration.class, DEFAULT_TERMINATION_GRACE_PERIOD);
    Duration telemetryFlushTimeout =
        reader.read(TELEMETRY_FLUSH_TIMEOUT, Duration.class, DEFAULT_TELEMETRY_FLUSH_TIMEOUT);
    String adminHost = reader.read(ADMIN_HOST, String.class, DEFAULT_ADMIN_HOST);
    int adminPort = reader.read(ADMIN_PORT, Integer.class, DEFAULT_ADMIN_PORT);
    boolean exposeConfig = reader.read(ADMIN_EXPOSE_CONFIG, Boolean.class, DEFAULT_ADMIN_EXPOSE_CONFIG);
    boolean logLevelEnabled =
        reader.read(ADMIN_LOGLEVEL_ENABLED, Boolean.class, DEFAULT_ADMIN_LOGLEVEL_ENABLED);
    Duration healthCheckInterval =
        reader.read(HEALTH_CHECK_INTERVAL, Duration.class, DEFAULT_HEALTH_CHECK_INTERVAL);
    Duration healthCheckTimeout =
        reader.read(HEALTH_CHECK_TIMEOUT, Duration.class, DEFAULT_HEALTH_CHECK_TIMEOUT);
    boolean exitWhenReady = reader.read(EXIT_WHEN_READY, Boolean.class, DEFAULT_EXIT_WHEN_READY);
    reader.check(DRAIN_DELAY, () -> requireNotNegative(DRAIN_DELAY, drainDelay));
    reader.check(DRAIN_DELAY_ON_SIGNAL, () -> requireNotNegative(DRAIN_DELAY_ON_SIGNAL, drainDelayOnSignal));
    reader.check(SHUTDOWN_TIMEOUT, () -> requireNotNegative(SHUTDOWN_TIMEOUT, shutdownTimeout));
    reader.check(TELEMETRY_FLUSH_TIMEOUT, () -> requireNotNegative(TELEMETRY_FLUSH_TIMEOUT, telemetryFlushTimeout));
    reader.check(TERMINATION_GRACE_PERIOD, () -> requirePositive(TERMINATION_GRACE_PERIOD, terminationGracePeriod));
    reader.check(HEALTH_CHECK_INTERVAL, () -> requirePositive(HEALTH_CHECK_INTERVAL, healthCheckInterval));
    reader.check(HEALTH_CHECK_TIMEOUT, () -> requirePositive(HEALTH_CHECK_TIMEOUT, healthCheckTimeout));
    reader.check(ADMIN_PORT, () -> requirePort(adminPort));
    reader.throwIfProblems();
    return new CoreSettings(drainDelay, drainDelayOnSignal, shutdownTimeout, terminationGracePeriod,
        telemetryFlushTimeout, adminHost, adminPort, exposeConfig, logLevelEnabled, healthCheckInterval,
        healthCheckTimeout, exitWhenReady);
  }

  /**
   * sdk-core's keys with their defaults, for the configuration's lowest-precedence source (so that
   * {@code /config} shows them with source {@code default}). {@link #DRAIN_DELAY_ON_SIGNAL} is left
   * out: its default is the value of {@link #DRAIN_DELAY}.
   */
  public static java.util.Map<String, Object> defaults(String serviceName) {
    java.util.Map<String, Object> defaults = new java.util.LinkedHashMap<>();
    defaults.put("service.name", serviceName);
    defaults.put(DRAIN_DELAY, format(DEFAULT_DRAIN_DELAY));
    defaults.put(SHUTDOWN_TIMEOUT, format(DEFAULT_SHUTDOWN_TIMEOUT));
    defaults.put(TERMINATION_GRACE_PERIOD, format(DEFAULT_TERMINATION_GRACE_PERIOD));
    defaults.put(TELEMETRY_FLUSH_TIMEOUT, format(DEFAULT_TELEMETRY_FLUSH_TIMEOUT));
    defaults.put(ADMIN_HOST, DEFAULT_ADMIN_HOST);
    defaults.put(ADMIN_PORT, DEFAULT_ADMIN_PORT);
    defaults.put(ADMIN_EXPOSE_CONFIG, DEFAULT_ADMIN_EXPOSE_CONFIG);
    defaults.put(ADMIN_LOGLEVEL_ENABLED, DEFAULT_ADMIN_LOGLEVEL_ENABLED);
    defaults.put(HEALTH_CHECK_INTERVAL, format(DEFAULT_HEALTH_CHECK_INTERVAL));
    defaults.put(HEALTH_CHECK_TIMEOUT, format(DEFAULT_HEALTH_CHECK_TIMEOUT));
    defaults.put(EXIT_WHEN_READY, DEFAULT_EXIT_WHEN_READY);
    return defaults;
  }

  /**
   * The longest drain: preStop waits {@link #drainDelay()}, a signal without preStop waits {@link
   * #drainDelayOnSignal()}.
   */
  public Duration longestDrain() {
    return drainDelay.compareTo(drainDelayOnSignal) >= 0 ? drainDelay : drainDelayOnSignal;
  }

  /**
   * Fails when the worst-case termination (drain + shutdown + telemetry flush) does not fit in the
   * termination grace period, so the service refuses to start instead of being SIGKILLed mid-stop.
   *
   * @throws IllegalStateException naming the three values and the grace period
   */
  public void checkTerminationBudget() {
    Duration total = longestDrain().plus(shutdownTimeout).plus(telemetryFlushTimeout);
    if (total.compareTo(terminationGracePeriod) > 0) {
      String drainKey = drainDelay.compareTo(drainDelayOnSignal) >= 0 ? DRAIN_DELAY : DRAIN_DELAY_ON_SIGNAL;
      throw new IllegalStateException(
          "termination budget exceeded: "
              + drainKey + " (" + format(longestDrain()) + ") + "
              + SHUTDOWN_TIMEOUT + " (" + format(shutdownTimeout) + ") + "
              + TELEMETRY_FLUSH_TIMEOUT + " (" + format(telemetryFlushTimeout) + ") = "
              + format(total) + " exceeds " + TERMINATION_GRACE_PERIOD + " ("
              + format(terminationGracePeriod) + "); lower them, or raise the pod's "
              + "terminationGracePeriodSeconds and " + TERMINATION_GRACE_PERIOD + " together");
    }
  }

  /** Formats a duration for people: {@code 5s}, {@code 300ms}, {@code 1.5s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) {
      return (ms / 1000) + "s";
    }
    return ms < 1000 ? ms + "ms" : java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
  }

  private static void requirePort(int adminPort) {
    if (adminPort < 0 || adminPort > 65535) {
      throw new IllegalArgumentException(
          ADMIN_PORT + " must be a port number from 0 to 65535 (0 = random), was " + adminPort);
    }
  }

  private static void requireNotNegative(String key, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(key + " must not be negative, was " + format(value));
    }
  }

  private static void requirePositive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, was " + format(value));
    }
  }
}
