package dev.pave.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.ConfigurationEvent;
import ch.qos.logback.core.spi.ConfigurationEventListener;
import dev.pave.config.Config;
import dev.pave.logging.LoggingSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Pave's logging state and the order of its startup and shutdown, in one place.
 *
 * <p>Startup, zero-config ({@link PaveConfigurator}): read settings from {@code Config.load()}
 * (defaults and an ERROR line if that fails) → start {@link PaveAppender} on the root logger →
 * apply levels (root defaults to INFO) → bridge JUL → register the shutdown hook.
 *
 * <p>Startup, {@code base.xml} included from a service's logback.xml: the same, except that the
 * levels from configuration are applied when Logback finishes reading the file (so they win over
 * levels in the file) and the root level is only touched when {@code logging.level.root} is set.
 *
 * <p>Shutdown ({@link #shutdown(Duration)}, from the hook or from sdk-core after
 * {@link #takeOverShutdown()}): log the drop count → drain and stop Pave's queue → stop the level
 * TTL timer → stop the Logback context (other appenders flush and close).
 */
public final class LoggingRuntime {

  /** Logger of Pave's own messages. */
  public static final String LOGGER = "dev.pave.logging";

  private static final Object LOCK = new Object();
  private static final LongAdder DROPPED = new LongAdder();
  private static final LevelController LEVELS = new LevelController();

  private static LoggerContext context;
  private static volatile PaveAppender appender;
  private static boolean zeroConfig;
  private static Set<String> appliedLevels = Set.of();
  private static RuntimeException loadProblem;
  /** How a configuration problem is reported, whichever way logging was set up. */
  private static final String LOAD_PROBLEM = "Logging configuration is invalid; logging with defaults: {}";
  /**
   * Zero-config's configuration problem, reported before the first event Pave's appender writes,
   * unless {@link #configure} comes first: then whoever configures logging read the configuration
   * itself and reports its problems (sdk-core's startup lists every bad key in its one failure
   * line), and the same problem is not written twice.
   */
  private static final java.util.concurrent.atomic.AtomicReference<RuntimeException> PENDING_PROBLEM =
      new java.util.concurrent.atomic.AtomicReference<>();
  private static ConfigurationEventListener levelListener;
  private static Thread shutdownHook;
  private static boolean shutdownTakenOver;
  private static boolean shutDown;

  private LoggingRuntime() {}

  static LongAdder droppedCounter() {
    return DROPPED;
  }

  // ---------------------------------------------------------------- startup

  /** Zero-config: Pave's appender on the root logger, settings from {@code Config.load()}. */
  static void installZeroConfig(LoggerContext loggerContext) {
    synchronized (LOCK) {
      LoggingSettings settings = loadSettings();
      PaveAppender created = new PaveAppender(ProcessStdout.INSTANCE, DROPPED);
      created.setContext(loggerContext);
      created.initialSettings(settings);
      created.start();
      loggerContext.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(created);
      context = loggerContext;
      appender = created;
      zeroConfig = true;
      applyLevels(settings);
      installBridges(loggerContext);
      registerShutdownHook();
      PENDING_PROBLEM.set(loadProblem);
      loadProblem = null;
    }
  }

  /**
   * The zero-config problem not yet reported, as the ERROR event to write, once (the appender
   * writes it before its first event); null when there is none.
   */
  static ILoggingEvent takePendingProblem() {
    RuntimeException problem = PENDING_PROBLEM.get() == null ? null : PENDING_PROBLEM.getAndSet(null);
    LoggerContext loggerContext = context;
    if (problem == null || loggerContext == null) {
      return null;
    }
    return new LoggingEvent(LoggingRuntime.class.getName(), loggerContext.getLogger(LOGGER), Level.ERROR,
        LOAD_PROBLEM, null, new Object[] {problem.getMessage()});
  }

  /** Settings for a {@link PaveAppender} declared in XML. */
  static LoggingSettings settingsForDeclaredAppender() {
    synchronized (LOCK) {
      return loadSettings();
    }
  }

  /** A {@link PaveAppender} declared in XML has started. */
  static void declaredAppenderStarted(PaveAppender declared) {
    synchronized (LOCK) {
      LoggerContext loggerContext = (LoggerContext) declared.getContext();
      context = loggerContext;
      appender = declared;
      zeroConfig = false;
      if (levelListener == null) {
        // Apply configured levels after the whole file is read, so they override the file's.
        levelListener = event -> {
          if (event.getEventType() == ConfigurationEvent.EventType.CONFIGURATION_ENDED_SUCCESSFULLY) {
            synchronized (LOCK) {
              PaveAppender current = appender;
              if (current != null) {
                applyLevels(current.settings());
                reportLoadProblem();
              }
            }
          }
        };
        loggerContext.addConfigurationEventListener(levelListener);
      }
      applyLevels(declared.settings());
      installBridges(loggerContext);
      registerShutdownHook();
    }
  }

  static void appenderStopped(PaveAppender stopped) {
    synchronized (LOCK) {
      if (appender == stopped) {
        appender = null;
      }
    }
  }

  private static LoggingSettings loadSettings() {
    loadProblem = null;
    Config config;
    try {
      config = Config.load();
    } catch (RuntimeException e) {
      // Not a logging problem (a bad secrets.allow-env, say): the service's own startup reports
      // it with its real label; logging comes up with defaults so that report can be written.
      return defaultSettings();
    }
    try (config) {
      return LoggingSettings.from(config);
    } catch (RuntimeException e) {
      // Logging must come up even when configuration is broken; the problem is logged once the
      // appender runs.
      loadProblem = e;
      return defaultSettings();
    }
  }

  private static LoggingSettings defaultSettings() {
    KubernetesEnvironment k8s = KubernetesEnvironment.detect();
    return LoggingSettings.builder()
        .kubernetesPodName(k8s.podName().orElse(null))
        .kubernetesNamespace(k8s.namespace().orElse(null))
        .build();
  }

  private static void reportLoadProblem() {
    RuntimeException problem = loadProblem;
    if (problem != null && context != null) {
      loadProblem = null;
      context.getLogger(LOGGER).error(LOAD_PROBLEM, problem.getMessage());
    }
  }

  private static void installBridges(LoggerContext loggerContext) {
    // Transport frame loggers stay silent below INFO, whatever level a change sets (D6).
    if (loggerContext.getTurboFilterList().stream().noneMatch(WireLoggerFilter.class::isInstance)) {
      WireLoggerFilter wire = new WireLoggerFilter();
      wire.setContext(loggerContext);
      wire.start();
      loggerContext.addTurboFilter(wire);
    }
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    // Mirror Logback levels into JUL, so that JUL drops disabled records before the bridge
    // formats them (the bridge costs ~20x more than a disabled JUL call otherwise).
    boolean propagating = loggerContext.getCopyOfListenerList().stream().anyMatch(LevelChangePropagator.class::isInstance);
    if (!propagating) {
      LevelChangePropagator propagator = new LevelChangePropagator();
      propagator.setContext(loggerContext);
      propagator.setResetJUL(true);
      propagator.start();
      loggerContext.addListener(propagator);
    }
  }

  private static void registerShutdownHook() {
    if (shutdownHook != null || shutdownTakenOver) {
      return;
    }
    Thread hook = new Thread(() -> {
      PaveAppender current = appender;
      Duration timeout = current != null ? current.settings().shutdownTimeout() : LoggingSettings.DEFAULT_SHUTDOWN_TIMEOUT;
      shutdown(timeout);
    }, "pave-logging-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    shutdownHook = hook;
  }

  // ---------------------------------------------------------------- levels

  /** Applies {@code settings}' levels; levels applied before but absent now are reset. */
  private static void applyLevels(LoggingSettings settings) {
    LoggerContext loggerContext = context;
    LEVELS.cancelAll();
    for (String name : appliedLevels) {
      if (!settings.levels().containsKey(name) && !isRoot(name)) {
        loggerContext.getLogger(name).setLevel(null);
      }
    }
    settings.levels().forEach((name, level) -> loggerContext.getLogger(name).setLevel(Level.toLevel(level)));
    if (zeroConfig && !settings.levels().containsKey(LoggingSettings.ROOT_LOGGER)) {
      loggerContext.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(LoggingSettings.DEFAULT_ROOT_LEVEL));
    }
    appliedLevels = new HashSet<>(settings.levels().keySet());
  }

  private static boolean isRoot(String name) {
    return Logger.ROOT_LOGGER_NAME.equalsIgnoreCase(name);
  }

  /** See {@code PaveLogging.setLevel}. */
  public static void setLevel(String logger, String level, Duration ttl) {
    Objects.requireNonNull(logger, "logger");
    if (logger.isBlank()) {
      throw new IllegalArgumentException("logger name must not be blank");
    }
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    Level parsed = level == null || level.isBlank() ? null : Levels.parse(logger, level);
    LoggerContext loggerContext = loggerContext();
    Level rootDefault;
    synchronized (LOCK) {
      PaveAppender current = appender;
      String configured = current == null ? null : current.settings().levels().get(LoggingSettings.ROOT_LOGGER);
      rootDefault = Level.toLevel(configured != null ? configured : LoggingSettings.DEFAULT_ROOT_LEVEL);
    }
    LEVELS.set(loggerContext, logger, parsed, ttl, rootDefault);
  }

  /** The effective level of {@code logger}. */
  public static String effectiveLevel(String logger) {
    Objects.requireNonNull(logger, "logger");
    return loggerContext().getLogger(logger).getEffectiveLevel().toString();
  }

  // ---------------------------------------------------------------- configure, flush, shutdown

  /** Re-applies {@code settings}: a new pipeline (the old one drains) and levels. */
  public static void configure(LoggingSettings settings) {
    Objects.requireNonNull(settings, "settings");
    PENDING_PROBLEM.set(null); // the caller read the configuration and reports its problems
    LoggerContext loggerContext = loggerContext();
    synchronized (LOCK) {
      context = loggerContext;
      PaveAppender current = appender;
      if (current != null) {
        current.apply(settings);
      }
      applyLevels(settings);
    }
  }

  /** The settings of Pave's appender, if one runs. */
  public static LoggingSettings currentSettings() {
    PaveAppender current = appender;
    return current == null ? null : current.settings();
  }

  public static long droppedEvents() {
    return DROPPED.sum();
  }

  /** See {@link WireLoggerFilter#peerStreamErrors()}. */
  public static long peerStreamErrors() {
    return WireLoggerFilter.peerStreamErrors();
  }

  public static boolean flush(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    PaveAppender current = appender;
    return current == null || current.flush(timeout);
  }

  /** Writes to the process's stdout file descriptor from now on (see {@link ProcessStdout}). */
  public static void useProcessStdout() {
    ProcessStdout.INSTANCE.useFileDescriptor();
  }

  public static void takeOverShutdown() {
    synchronized (LOCK) {
      shutdownTakenOver = true;
      if (shutdownHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
          // The JVM is exiting and the hook may be running: nothing left to take over.
        }
        shutdownHook = null;
      }
    }
  }

  public static void shutdown(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    LoggerContext loggerContext;
    PaveAppender current;
    synchronized (LOCK) {
      if (shutDown) {
        return;
      }
      shutDown = true;
      loggerContext = context != null ? context : loggerContextOrNull();
      current = appender;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long dropped = DROPPED.sum();
    if (dropped > 0 && loggerContext != null) {
      // Waits for room like any WARN (the queue may be full of the very events that overflowed:
      // dropping this line too would hide the loss), but within the shutdown's timeout, so that a
      // stdout nobody reads cannot hold the shutdown longer than it allows.
      Logger logger = loggerContext.getLogger(LOGGER);
      AsyncPipeline.waitingAtMost(timeout, () -> logger.warn(
          "{} log events were dropped because the log queue was full (INFO and below at once,"
              + " WARN and ERROR after logging.async.warn-wait)", dropped));
    }
    if (current != null) {
      current.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    LEVELS.shutdown();
    if (loggerContext != null) {
      loggerContext.stop();
    }
  }

  private static LoggerContext loggerContext() {
    LoggerContext loggerContext = loggerContextOrNull();
    if (loggerContext == null) {
      throw new IllegalStateException("SLF4J is bound to " + LoggerFactory.getILoggerFactory().getClass().getName()
          + ", not Logback: Pave logging needs ch.qos.logback:logback-classic as the only SLF4J provider");
    }
    return loggerContext;
  }

  private static LoggerContext loggerContextOrNull() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    return factory instanceof LoggerContext loggerContext ? loggerContext : null;
  }
}
