package dev.pave.core.internal;

import dev.pave.config.Config;
import dev.pave.config.ConfigEntry;
import dev.pave.config.ConfigException;
import dev.pave.config.Durations;
import dev.pave.core.CoreSettings;
import dev.pave.core.HealthCheck;
import dev.pave.core.LifecycleState;
import dev.pave.core.PaveStartupException;
import dev.pave.core.RunningService;
import dev.pave.core.ServiceContext;
import dev.pave.logging.LoggingSettings;
import dev.pave.logging.PaveLogging;
import io.micrometer.core.instrument.util.NamedThreadFactory;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Pave service. The startup order ({@link #startUp}) and the shutdown order ({@link
 * #shutDown}) are each written once, here, as a numbered list: read those two methods to know what
 * happens when. The other roles live beside it (design review A2): what the setup code sees in
 * {@link DefaultServiceContext}, what the admin endpoints ask in {@link AdminBackend}, and the
 * signals and JVM hook in {@link ProcessHooks}.
 */
public final class ServiceRuntime implements RunningService {
  private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);
  /** The logging flush at the very end gets at least this long, even when telemetry used its whole budget. */
  static final Duration MIN_LOG_FLUSH = Duration.ofMillis(500);

  /** How the runtime is started. */
  public record Options(String serviceName, Config config, boolean ownsProcess) {
    public Options {
      Objects.requireNonNull(serviceName, "serviceName");
    }
  }

  private final Options options;
  /** Roots whose every key sdk-config, sdk-logging and sdk-core read during startup. */
  private static final List<String> PAVE_ROOTS = List.of("lifecycle", "admin", "health", "secrets", "service", "logging");
  private final LifecycleController lifecycle = new LifecycleController();
  /** What the setup code sees; each step hands it what it built. */
  private final DefaultServiceContext context;
  private final CountDownLatch startupDone = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean shutdownRequested = new AtomicBoolean();
  private final Instant startTime = Instant.now();
  private volatile CoreSettings settings;
  private volatile CompletableFuture<Metrics> metricsInit;
  private volatile CompletableFuture<AdminServer> adminInit;
  /** What startup did; shutdown and a failed startup unwind it. */
  private final UndoStack undo = new UndoStack();
  /** Executors handed out by executor(name, n) finish by this System.nanoTime(). */
  private volatile long stopDeadline;
  /** What the telemetry flush left of its budget, for the logging flush. */
  private volatile Duration logFlush;
  /** Whether step 2 configured logging with this service's settings. */
  private volatile boolean loggingConfigured;

  private ServiceRuntime(Options options) {
    this.options = options;
    this.context = new DefaultServiceContext(options.serviceName(), lifecycle);
  }

  /**
   * Starts a service: platform first, then the setup code and its components.
   *
   * @throws PaveStartupException after logging one line naming the cause; what started is stopped
   */
  public static ServiceRuntime start(Options options, Consumer<ServiceContext> setup) {
    ServiceRuntime runtime = new ServiceRuntime(options);
    if (options.ownsProcess()) {
      ProcessHooks.install(runtime);
    }
    try {
      runtime.startUp(setup);
      return runtime;
    } catch (Exception | LinkageError e) {
      throw runtime.failStartup(e);
    } finally {
      runtime.startupDone.countDown();
    }
  }

  /**
   * The startup order. Each step pushes its undo onto {@link #undo} once it has succeeded; the
   * shutdown order is that stack unwound, and a failed startup unwinds the same stack.
   */
  private void startUp(Consumer<ServiceContext> setup) throws Exception {
    StepTimer step = new StepTimer();
    // Logging runs from the first line (Logback's SPI set it up); the runtime stops it last.
    if (options.ownsProcess()) {
      undo.push("logging", () -> PaveLogging.shutdown(logFlushBudget()));
    }
    // The metrics registry and its JVM binders need no configuration and take a third of startup
    // (class loading, MXBeans): build them on another core while steps 1-4 run; joined at step 5.
    metricsInit = CompletableFuture.supplyAsync(Metrics::new, daemon("pave-metrics-init"));
    undo.push("metrics", () -> whenBuilt(metricsInit, Metrics::close));
    // 1. Configuration (sdk-config): the process's sources, with sdk-core's defaults underneath.
    Config config = options.config() != null ? options.config() : loadProcessConfig();
    context.config = config;
    if (options.config() == null) {
      undo.push("configuration", config::close); // its secret watcher
    }
    // One service identity for logs, /info and traces: service.name (env SERVICE_NAME) when set,
    // else OpenTelemetry's otel.service.name (env OTEL_SERVICE_NAME), else the name given to
    // Pave.service(name) (which is also service.name's default). Before, OTEL_SERVICE_NAME renamed
    // the traces only, and logs and traces named the service differently.
    // Two names that differ are a configuration problem, reported at step 2 with every other bad
    // key (a logging key among them would otherwise go unnamed in this run).
    String configuredName = explicit(config, "service.name").orElse("");
    String otelName = explicit(config, "otel.service.name").orElse("");
    ConfigException.Problem nameConflict = null;
    if (!configuredName.isBlank() && !otelName.isBlank() && !configuredName.equals(otelName)) {
      nameConflict = new ConfigException.Problem("otel.service.name", config.entry("otel.service.name").map(ConfigEntry::source).orElse("value"),
          "is '" + otelName + "' but service.name (" + config.entry("service.name").map(ConfigEntry::source).orElse("value")
              + ") is '" + configuredName + "': logs, traces and /info must name the service alike; set only"
              + " SERVICE_NAME (or both to the same name)");
    }
    String chosen = !configuredName.isBlank() ? configuredName : otelName;
    if (!chosen.isBlank() && !chosen.equals(context.serviceName)) {
      context.serviceName = chosen;
    }
    step.lap();
    // 2. Logging (sdk-logging): format, levels, service fields from the configuration. A
    //    configuration handed in (tests, embedding) lacks sdk-core's defaults, so the service name
    //    given to Pave.service(name) fills in for an unset service.name.
    //    sdk-core's settings are bound here too, so that one failed start lists every bad or
    //    misspelled key of both modules (and of the other roots Pave owns) at once.
    var problems = new ArrayList<ConfigException.Problem>();
    if (nameConflict != null) {
      problems.add(nameConflict);
    }
    LoggingSettings logging = ConfigException.collect(() -> LoggingSettings.from(config), problems);
    settings = ConfigException.collect(() -> CoreSettings.from(config), problems);
    if (!problems.isEmpty()) {
      ConfigException.collect(() -> {
        config.requireAllRead(PAVE_ROOTS);
        return null;
      }, problems);
      // A misspelled lifecycle/admin/health key is found by its binding and again as never read.
      var seen = new java.util.HashSet<String>();
      problems.removeIf(p -> !seen.add(p.key() + " " + p.source()));
      throw new ConfigException(problems);
    }
    if (explicit(config, "service.name").isEmpty()) {
      logging = logging.toBuilder().serviceName(context.serviceName).build();
    }
    PaveLogging.configure(logging);
    loggingConfigured = true;
    if (options.ownsProcess()) {
      PaveLogging.takeOverShutdown(); // the shutdown order below flushes logging last
      PaveLogging.useProcessStdout(); // a failed write to stdout is seen and counted
    }
    step.lap();
    // 3. The termination budget (sdk-core's settings) checked against the grace period. The admin
    //    server is built (not bound) on another core meanwhile: Jetty's class initialization
    //    would otherwise be the longest step; it binds at step 7. Its undo is pushed now, below
    //    the telemetry's: on the way down the telemetry flushes, then STOPPED is announced, then
    //    the admin server stops, so /livez and /metrics answer until the very end.
    settings.checkTerminationBudget();
    adminInit = CompletableFuture.supplyAsync(
        () -> AdminServer.prepare(settings.admin().host(), settings.admin().port(), new AdminBackend(this)), daemon("pave-admin-init"));
    undo.push("admin server", () -> whenBuilt(adminInit, AdminServer::stop));
    undo.push("STOPPED", () -> lifecycle.transition(LifecycleState.STOPPED)); // not from FAILED
    step.lap();
    // 4. OpenTelemetry (autoconfigure: OTEL_* variables, Pave resource attributes).
    Telemetry telemetry = Telemetry.create(
        // One identity for logs and traces: the pod and namespace as sdk-logging detected them.
        new Telemetry.ServiceIdentity(
            context.serviceName,
            config.find("service.version", String.class).orElse(null),
            config.find("deployment.environment", String.class).orElse(null),
            logging.kubernetesPodName().orElse(null),
            logging.kubernetesNamespace().orElse(null)),
        otelProperties(config),
        options.ownsProcess());
    context.telemetry = telemetry;
    undo.push("telemetry", () -> flushTelemetry(telemetry));
    // Every key under these roots has been read by now (sdk-config, sdk-logging, sdk-core): one
    // set but never read is a typo, and fails startup naming it (grpc.server.* and
    // grpc.clients.<name>.* are checked by their own binding; OTEL_* is OpenTelemetry's).
    config.requireAllRead(PAVE_ROOTS);
    step.lap();
    // 5. Metrics: Prometheus registry, JVM/process binders, lifecycle and log-drop meters.
    Metrics metrics = join(metricsInit);
    context.metrics = metrics;
    metrics.bind(new LifecycleMetrics(lifecycle), new LoggingMetrics(PaveLogging::droppedEvents, PaveLogging::peerStreamErrors));
    step.lap();
    // 6. Health: the registry, a built-in liveness check, metrics per check. Checks stop running
    //    right after the service's components and executors (probes keep the last results).
    HealthRegistry health = new HealthRegistry(
        settings.health().checkInterval(), settings.health().checkTimeout(), () -> lifecycle.state() == LifecycleState.READY);
    health.liveness("deadlocks", ServiceRuntime::noDeadlocks);
    context.health = health;
    metrics.bind(new HealthMetrics(health));
    undo.push("health checks", health::close);
    step.lap();
    // 7. Admin server: probes answer from here on (/startupz 503 until READY).
    AdminServer admin = join(adminInit);
    admin.start();
    context.admin = admin;
    step.lap();
    // 8. The service's own setup code, its health checks, then its components in registration
    //    order. Executors handed out by executor(name, n) finish within what is left of
    //    lifecycle.shutdown-timeout once the components stopped (at once after a failed start).
    undo.push("executors", () -> context.stopExecutors(Duration.ofNanos(Math.max(0, stopDeadline - System.nanoTime()))));
    setup.accept(context);
    health.start();
    lifecycle.startComponents(settings.lifecycle().shutdownTimeout());
    undo.push("components", () -> lifecycle.stopComponents(settings.lifecycle().shutdownTimeout()));
    step.lap();
    // 9. READY.
    lifecycle.transition(LifecycleState.READY);
    log.debug("startup steps (ms): {}", step.laps());
    long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    log.info(
        "service '{}' READY in {} ms since JVM start; admin server on {}",
        context.serviceName,
        sinceJvmStart,
        AdminServer.url(admin.address()));
    if (settings.lifecycle().exitWhenReady() && options.ownsProcess()) {
      requestShutdown(Duration.ZERO, CoreSettings.LIFECYCLE + ".exit-when-ready");
    }
  }

  /**
   * The shutdown order, run once on its own thread (SIGTERM/SIGINT, {@link #stop()}, or the JVM
   * exiting).
   */
  private void shutDown(Duration drainDelay) {
    try {
      startupDone.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (lifecycle.state() == LifecycleState.FAILED || lifecycle.state().isTerminal()) {
      stopped.countDown();
      return;
    }
    try {
      // 1. DRAINING: readiness fails at once, traffic is still served, for the drain delay (or
      //    what is left of the one preStop started). A second SIGINT ends the wait.
      lifecycle.beginDrain(drainDelay);
      lifecycle.awaitDrainDeadline();
      // 2. STOPPING.
      lifecycle.transition(LifecycleState.STOPPING);
      stopDeadline = System.nanoTime() + settings.lifecycle().shutdownTimeout().toNanos();
      // 3. What startup did, undone in reverse (startUp's list, read bottom up): components in
      //    reverse registration order within lifecycle.shutdown-timeout, executors, health checks,
      //    the telemetry flush within lifecycle.telemetry-flush-timeout, STOPPED, the admin server,
      //    the configuration, metrics, and logging last, so every line above reaches stdout.
      undo.unwind(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | LinkageError e) {
      log.error("shutdown of service '{}' failed: {}", context.serviceName, LifecycleController.describe(e), e);
    } finally {
      stopped.countDown();
    }
  }

  /** Flushes and shuts OpenTelemetry down; what is left of its budget goes to the logging flush. */
  private void flushTelemetry(Telemetry built) {
    Duration budget = flushBudget();
    long start = System.nanoTime();
    built.shutdown(budget);
    logFlush = budget.minusNanos(System.nanoTime() - start);
  }

  private Duration flushBudget() {
    CoreSettings s = settings;
    return s != null ? s.lifecycle().telemetryFlushTimeout() : CoreSettings.defaults().lifecycle().telemetryFlushTimeout();
  }

  private Duration logFlushBudget() {
    Duration left = logFlush != null ? logFlush : flushBudget();
    return left.compareTo(MIN_LOG_FLUSH) > 0 ? left : MIN_LOG_FLUSH;
  }

  /** Runs {@code action} on what {@code init} built: now if it is done, else once it is. */
  private static <T> void whenBuilt(CompletableFuture<T> init, Consumer<T> action) {
    if (init == null) {
      return;
    }
    if (init.isDone()) {
      if (!init.isCompletedExceptionally()) {
        action.accept(init.join());
      }
    } else {
      init.thenAccept(action); // built in the background but never joined: a start that failed
    }
  }

  private PaveStartupException failStartup(Throwable e) {
    StartupFailure failure = StartupFailure.explain(e, settings, context.admin != null);
    String line = "service '" + context.serviceName + "' failed to start: " + failure.reason();
    if (!loggingConfigured && options.ownsProcess()) {
      // A start that failed before step 2 (bad configuration, the logging settings included)
      // still names the service in its last lines, which would otherwise carry Logback's
      // zero-config unknown_service:java.
      try {
        PaveLogging.configure(PaveLogging.settings().orElseGet(() -> LoggingSettings.builder().build()).toBuilder()
            .serviceName(context.serviceName).build());
      } catch (RuntimeException notEvenThat) {
        // keep the logging there is
      }
    }
    if (failure.stackTrace() != null) {
      log.error(line, failure.stackTrace());
    } else {
      log.error(line);
    }
    // Components already started were stopped by the lifecycle; the rest of what startup did is
    // undone by the same stack as a shutdown (executors get no time).
    lifecycle.transition(LifecycleState.FAILED);
    stopDeadline = System.nanoTime();
    undo.unwind(log);
    stopped.countDown();
    return new PaveStartupException(line, e);
  }

  /** Runs each task on a new daemon thread named {@code name}. */
  private static java.util.concurrent.Executor daemon(String name) {
    NamedThreadFactory threads = new NamedThreadFactory(name);
    return task -> threads.newThread(task).start();
  }

  private static <T> T join(CompletableFuture<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw e;
    }
  }

  /** The value of {@code key} when a source sets it, not a default. */
  private static java.util.Optional<String> explicit(Config config, String key) {
    return config.entry(key).filter(e -> !"default".equals(e.source())).map(e -> e.value());
  }

  /** The real process's sources (as {@code Config.load()}) plus sdk-core's defaults. */
  private Config loadProcessConfig() {
    return Config.builder().defaults(Map.of("service.name", context.serviceName)).processSources().build();
  }

  private static Map<String, String> otelProperties(Config config) {
    Map<String, String> result = new LinkedHashMap<>();
    config.subtree("otel").forEach((key, value) -> result.put("otel." + key, value));
    return result;
  }

  /** Starts the shutdown order on its own thread, once; later requests are logged and ignored. */
  void requestShutdown(Duration drainDelay, String reason) {
    if (!shutdownRequested.compareAndSet(false, true)) {
      log.info("{} received; shutdown already in progress", reason);
      return;
    }
    log.info("{} received; draining for {}, then stopping", reason,
        lifecycle.state() == LifecycleState.DRAINING ? "the rest of the preStop drain delay" : Durations.format(drainDelay));
    Thread thread = new Thread(() -> shutDown(drainDelay), "pave-shutdown");
    thread.start();
  }

  // ---- for AdminBackend and ProcessHooks (same package) ----

  /** sdk-core's settings; null until step 2 of startup. */
  CoreSettings settingsOrNull() {
    return settings;
  }

  /** What the setup code sees, with what startup has built so far. */
  DefaultServiceContext serviceContext() {
    return context;
  }

  /** The metrics; null until step 5 of startup. */
  Metrics metricsOrNull() {
    return context.metrics;
  }

  LifecycleController lifecycleController() {
    return lifecycle;
  }

  Instant startTime() {
    return startTime;
  }

  /** Whether the service has stopped (or failed to start). */
  boolean hasStopped() {
    return stopped.getCount() == 0;
  }

  /** Waits for the service to stop, up to {@code timeout}. */
  boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Blocks until the service has stopped (or failed to start). */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  private static HealthCheck.Result noDeadlocks() {
    long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
    return deadlocked == null
        ? HealthCheck.Result.healthy()
        : HealthCheck.Result.unhealthy(deadlocked.length + " threads are deadlocked");
  }

  // ---- RunningService ----

  @Override
  public ServiceContext context() {
    return context;
  }

  @Override
  public InetSocketAddress adminAddress() {
    return context.admin.address();
  }

  private void resumeIfNotStopping(Duration grace) {
    if (!shutdownRequested.get() && lifecycle.resumeFromDrain()) {
      log.warn("no SIGTERM came within {} ({}) of a preStop: back to READY. Kubernetes follows its"
          + " preStop hook with SIGTERM at once; check what else calls /prestop",
          Durations.format(grace), CoreSettings.LIFECYCLE + ".termination-grace-period");
    }
  }

  @Override
  public LifecycleState state() {
    return lifecycle.state();
  }

  @Override
  public void preStop() {
    CoreSettings s = settings;
    if (s == null || lifecycle.state() == LifecycleState.STARTING) {
      return; // nothing to drain yet; the SIGTERM that follows stops the service once started
    }
    if (lifecycle.beginDrain(s.lifecycle().drainDelay())) {
      log.info("preStop received; draining for {}", Durations.format(s.lifecycle().drainDelay()));
      // Kubernetes sends SIGTERM as soon as the preStop hook returns. A preStop that no SIGTERM
      // follows within the grace period was not Kubernetes ending the pod (a stray GET /prestop):
      // the service returns to READY rather than stay out of rotation for good (security D4).
      Duration grace = s.lifecycle().terminationGracePeriod();
      CompletableFuture.runAsync(
          () -> resumeIfNotStopping(grace),
          CompletableFuture.delayedExecutor(grace.toNanos(), TimeUnit.NANOSECONDS, daemon("pave-prestop-resume")));
    } else {
      log.info("preStop received again; state {}", lifecycle.state());
    }
    try {
      lifecycle.awaitDrainDeadline();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop() {
    requestShutdown(settings.lifecycle().signalDrainDelay(), "stop()");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
