package dev.pave.grpc;

import io.micrometer.core.instrument.util.NamedThreadFactory;
import static java.util.Objects.requireNonNull;

import dev.pave.grpc.internal.ServerChain;
import dev.pave.grpc.internal.TlsReloader;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server on the Netty transport with Pave's interceptors always on, in this order (outermost
 * first): tracing, metrics, access log, default deadline, error mapping, load shedding, request
 * parsing. It also
 * serves {@code grpc.health.v1.Health} and, unless turned off, server reflection.
 *
 * <p>Services and exception mappers are added before {@link #start()}. Lifecycle: {@link #start()}
 * binds the port and reports SERVING; {@link #drain()} reports NOT_SERVING and keeps serving;
 * {@link #stop(Duration)} refuses new calls (GOAWAY), lets calls in flight finish within the
 * timeout, then cancels the rest. In a Pave service, {@link PaveGrpc#server()} does all of this
 * through the service lifecycle; a service never calls these methods itself.
 *
 * <p>Thread-safe.
 */
public final class GrpcServer {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);

  /** The logger of the access log, one line per call: {@value}. */
  public static final String ACCESS_LOGGER = "dev.pave.grpc.access";
  /** The logger of server errors (an unexpected exception, logged once with its trace id): {@value}. */
  public static final String ERROR_LOGGER = "dev.pave.grpc.server";

  /** Health service name that stands for the whole server. */
  public static final String ALL_SERVICES = HealthStatusManager.SERVICE_NAME_ALL_SERVICES;

  private final GrpcServerSettings settings;
  private final MeterRegistry meterRegistry;
  private final OpenTelemetry openTelemetry;
  private final HealthStatusManager health = new HealthStatusManager();
  private final List<ServerServiceDefinition> services = new ArrayList<>();
  private final List<GrpcExceptionMapper> exceptionMappers = new ArrayList<>();
  private Server server;
  private ScheduledExecutorService scheduler;
  private TlsReloader tls;
  private boolean draining;
  private boolean stopped;

  private GrpcServer(Builder b) {
    this.settings = b.settings;
    this.meterRegistry = b.meterRegistry;
    this.openTelemetry = b.openTelemetry;
    // Not serving until started: a probe must not see SERVING before the port is bound.
    health.setStatus(ALL_SERVICES, ServingStatus.NOT_SERVING);
  }

  /** Returns a builder; a meter registry and an OpenTelemetry instance are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Name of this lifecycle component: {@code grpc-server}. */
  public String name() {
    return "grpc-server";
  }

  /** The settings the server runs with. */
  public GrpcServerSettings settings() {
    return settings;
  }

  /** Adds a service; only before {@link #start()}. */
  public GrpcServer addService(BindableService service) {
    return addService(requireNonNull(service, "service").bindService());
  }

  /** Adds a service; only before {@link #start()}. */
  public synchronized GrpcServer addService(ServerServiceDefinition service) {
    requireNonNull(service, "service");
    checkNotStarted("add a service");
    services.add(service);
    return this;
  }

  /**
   * Adds an exception mapper; mappers are asked in the order added, before Pave's defaults (see
   * {@link GrpcExceptionMapper}). Only before {@link #start()}.
   */
  public synchronized GrpcServer addExceptionMapper(GrpcExceptionMapper mapper) {
    requireNonNull(mapper, "mapper");
    checkNotStarted("add an exception mapper");
    exceptionMappers.add(mapper);
    return this;
  }

  private void checkNotStarted(String what) {
    if (server != null || stopped) {
      throw new IllegalStateException("cannot " + what + ": the gRPC server has already started");
    }
  }

  /** The bound port; only after {@link #start()} (useful with port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("the gRPC server is not started");
    }
    return server.getPort();
  }

  /** Whether the server has started and not yet been stopped. */
  public synchronized boolean isRunning() {
    return server != null && !stopped;
  }

  /**
   * Refuses a {@code grpc.server.access-log.methods.<name>} entry that names no service or method
   * of this server: it would silently do nothing (adoption report 16). Pave's own defaults (health
   * and reflection) are exempt, as reflection may be off.
   */
  private void checkAccessLogNames() {
    java.util.Set<String> known = new java.util.TreeSet<>();
    for (ServerServiceDefinition service : services) {
      known.add(service.getServiceDescriptor().getName());
      service.getMethods().forEach(method -> known.add(method.getMethodDescriptor().getFullMethodName()));
    }
    java.util.List<String> unknown = new java.util.ArrayList<>();
    for (String name : settings.accessLogMethodLevels().keySet()) {
      if (!known.contains(name) && !GrpcServerSettings.DEFAULT_ACCESS_LOG_METHOD_LEVELS.containsKey(name)) {
        unknown.add("grpc.server.access-log.methods." + name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", unknown)
          + (unknown.size() == 1 ? " names" : " name") + " no service or method of this server;"
          + " expected a service (pkg.Service) or a method (pkg.Service/Method) among: "
          + String.join(", ", known));
    }
  }

  /**
   * Binds the port and starts serving; health reports SERVING.
   *
   * @throws IOException if the port cannot be bound (the message names host and port)
   * @throws IllegalStateException if already started
   */
  public synchronized void start() throws IOException {
    checkNotStarted("start");
    checkAccessLogNames();
    // Before anything else: missing, expired or mismatched TLS files refuse the start.
    TlsReloader tlsMaterial = settings.tls().map(t -> TlsReloader.forServer(t, meterRegistry)).orElse(null);
    ServerCredentials credentials = tlsMaterial == null
        ? InsecureServerCredentials.create()
        : tlsMaterial.serverCredentials(settings.tls().get());
    scheduler =
        Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("pave-grpc-deadlines"));
    InetSocketAddress address =
        "0.0.0.0".equals(settings.host())
            ? new InetSocketAddress(settings.port())
            : new InetSocketAddress(settings.host(), settings.port());
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(address, credentials)
            .maxInboundMessageSize(settings.maxInboundMessageSize())
            .maxInboundMetadataSize(settings.maxInboundMetadataSize())
            .maxConcurrentCallsPerConnection(settings.maxConcurrentStreams())
            .maxRstFramesPerWindow(settings.rapidResetMaxResets(), (int) settings.rapidResetWindow().toSeconds())
            .keepAliveTime(settings.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(settings.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
            .permitKeepAliveTime(settings.permitKeepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
            .permitKeepAliveWithoutCalls(settings.permitKeepAliveWithoutCalls())
            .maxConnectionAge(settings.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS)
            .maxConnectionAgeGrace(
                settings.maxConnectionAgeGrace().toNanos(), TimeUnit.NANOSECONDS);
    ServerChain.install(builder, settings, services, health, exceptionMappers, meterRegistry, openTelemetry, scheduler);
    Server built = builder.build();
    try {
      built.start();
    } catch (IOException e) {
      scheduler.shutdownNow();
      if (tlsMaterial != null) {
        tlsMaterial.close();
      }
      throw new IOException(
          "gRPC server could not bind " + settings.host() + ":" + settings.port()
              + " (grpc.server.host / grpc.port): " + e.getMessage(),
          e);
    }
    server = built;
    tls = tlsMaterial;
    for (ServerServiceDefinition service : services) {
      health.setStatus(service.getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    health.setStatus(ALL_SERVICES, ServingStatus.SERVING);
    GrpcTls.ClientAuth clientAuth = settings.tls().map(GrpcTls::clientAuth).orElse(null);
    LOG.atInfo()
        .addKeyValue("port", built.getPort())
        .addKeyValue("tls", clientAuth == null ? "off" : clientAuth == GrpcTls.ClientAuth.NONE
            ? "tls" : "mtls-" + clientAuth.name().toLowerCase(java.util.Locale.ROOT))
        .log("gRPC server listening on {}:{} ({})", settings.host(), built.getPort(),
            clientAuth == null ? "plaintext" : "TLS, client auth " + clientAuth);
  }

  /**
   * Sets the reported health of every service: SERVING when {@code serving} and not draining.
   * Used to follow the service's readiness.
   */
  public synchronized void setServing(boolean serving) {
    if (server == null || stopped || draining) {
      return;
    }
    ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    for (ServerServiceDefinition service : services) {
      health.setStatus(service.getServiceDescriptor().getName(), status);
    }
    health.setStatus(ALL_SERVICES, status);
  }

  /**
   * Ends a drain that no stop followed: {@link #setServing} reports the service's readiness again.
   * No effect once stopped.
   */
  public synchronized void resume() {
    draining = false;
  }

  /** Reports NOT_SERVING until {@link #resume()} and keeps serving calls (the DRAINING phase). */
  public synchronized void drain() {
    draining = true;
    for (ServerServiceDefinition service : services) {
      health.setStatus(service.getServiceDescriptor().getName(), ServingStatus.NOT_SERVING);
    }
    health.setStatus(ALL_SERVICES, ServingStatus.NOT_SERVING);
  }

  /**
   * Stops: NOT_SERVING, {@code shutdown()} (GOAWAY, no new calls, calls in flight continue), waits
   * up to {@code timeout}, then {@code shutdownNow()} cancels what is left. Idempotent.
   */
  public void stop(Duration timeout) throws InterruptedException {
    requireNonNull(timeout, "timeout");
    Server running;
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
      drain();
      health.enterTerminalState();
      running = server;
    }
    if (running == null) {
      return;
    }
    try {
      running.shutdown();
      if (!running.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn(
            "gRPC server: calls still in flight after {}; cancelling them", timeout);
        running.shutdownNow();
        running.awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      scheduler.shutdownNow();
      if (tls != null) {
        tls.close();
      }
    }
    LOG.info("gRPC server stopped");
  }

  /** Builder of {@link GrpcServer}. */
  public static final class Builder extends ObservedBuilder<Builder> {
    private GrpcServerSettings settings = GrpcServerSettings.defaults();

    private Builder() {}

    /** Settings; default {@link GrpcServerSettings#defaults()}. */
    public Builder settings(GrpcServerSettings settings) {
      this.settings = requireNonNull(settings, "settings");
      return this;
    }

    /** Returns the server, not yet started. */
    public GrpcServer build() {
      requireObservability();
      return new GrpcServer(this);
    }
  }
}
