package dev.pave.grpc;

import static java.util.Objects.requireNonNull;

import dev.pave.core.LifecycleComponent;
import dev.pave.core.LifecycleState;
import dev.pave.core.ServiceContext;
import dev.pave.core.Subscription;
import io.grpc.Channel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * gRPC for a Pave service: one server and named client channels, wired to the service's
 * configuration, lifecycle, health, metrics and OpenTelemetry.
 *
 * <pre>{@code
 * Pave.service("checkout").run(svc -> {
 *   PaveGrpc grpc = PaveGrpc.from(svc);
 *   var payments = PaymentsGrpc.newBlockingStub(grpc.channel("payments")); // grpc.clients.payments.*
 *   grpc.server().addService(new CheckoutService(payments));             // grpc.port, grpc.server.*
 * });
 * }</pre>
 *
 * <p>{@link #from(ServiceContext)} registers one lifecycle component, {@code grpc-server}, at its
 * first call: call it during setup, after registering the components your handlers use (they
 * stop after it). The component starts the server (if {@link #server()} was asked for) and keeps
 * the gRPC health status in step with the service's readiness: NOT_SERVING until READY, while a
 * readiness check fails, and from DRAINING on. On stop it shuts the server down (GOAWAY; calls in
 * flight finish within the lifecycle's timeout, then are cancelled) and only then closes the
 * client channels, so handlers finishing during the drain can still call downstream.
 */
public final class PaveGrpc {

  /**
   * One instance per running service. An entry is removed when its service reaches a terminal
   * state (STOPPED or FAILED), so a stopped service and everything it holds can be collected:
   * weak keys alone would not do, since each value holds its key.
   */
  private static final Map<ServiceContext, PaveGrpc> INSTANCES = new HashMap<>();

  private final ServiceContext svc;
  private final GrpcChannels channels;
  private final Map<String, Channel> boundChannels = new ConcurrentHashMap<>();
  private GrpcServer server;
  private boolean componentStarted;

  private PaveGrpc(ServiceContext svc) {
    this.svc = svc;
    this.channels =
        GrpcChannels.builder()
            .meterRegistry(svc.meterRegistry())
            .openTelemetry(svc.openTelemetry())
            .build();
    svc.register(new Component());
  }

  /**
   * Returns the gRPC of {@code svc}, the same instance on every call. The first call registers
   * the {@code grpc-server} lifecycle component, so it must happen during the service's setup.
   */
  @dev.pave.config.Experimental("how modules attach to a service (a per-service extension slot) is being designed")
  public static PaveGrpc from(ServiceContext svc) {
    requireNonNull(svc, "svc");
    synchronized (INSTANCES) {
      PaveGrpc grpc = INSTANCES.get(svc);
      if (grpc == null) {
        grpc = new PaveGrpc(svc);
        INSTANCES.put(svc, grpc);
        svc.lifecycle().onStateChange(state -> {
          if (state.isTerminal()) {
            synchronized (INSTANCES) {
              INSTANCES.remove(svc);
            }
          }
        });
      }
      return grpc;
    }
  }

  /**
   * The service's gRPC server, configured from {@code grpc.port} and {@code grpc.server.*}; add
   * services to it during setup. It starts with the service.
   *
   * @throws dev.pave.config.ConfigException if a {@code grpc.server.*} key is malformed or unknown
   */
  public synchronized GrpcServer server() {
    if (server == null && componentStarted) {
      throw new IllegalStateException(
          "PaveGrpc.server() must first be called during the service's setup, before it starts");
    }
    if (server == null) {
      server =
          GrpcServer.builder()
              .settings(GrpcServerSettings.from(svc.config()))
              .meterRegistry(svc.meterRegistry())
              .openTelemetry(svc.openTelemetry())
              .build();
    }
    return server;
  }

  /**
   * The channel named {@code name}, configured from {@code grpc.clients.<name>.*} (the same
   * channel on every call). Build stubs on it; never shut it down: the service does.
   *
   * @throws dev.pave.config.ConfigException if {@code grpc.clients.<name>.target} is missing or a
   *     key is malformed or unknown
   */
  public Channel channel(String name) {
    // Bound once per name: configuration is read at the first call, not on every stub creation.
    return boundChannels.computeIfAbsent(
        name, n -> channels.channel(GrpcClientSettings.from(svc.config(), n)));
  }

  private synchronized GrpcServer serverIfRequested() {
    componentStarted = true;
    return server;
  }

  /** Starts the server, follows readiness, stops the server and then the channels. */
  private final class Component implements LifecycleComponent {
    private Subscription readinessSubscription;
    private Subscription stateSubscription;

    @Override
    public String name() {
      return "grpc-server";
    }

    @Override
    public void start() throws Exception {
      GrpcServer s = serverIfRequested();
      if (s == null) {
        return;
      }
      s.start();
      // Until the service is READY the port is bound but the health says NOT_SERVING, like /readyz.
      s.setServing(false);
      stateSubscription =
          svc.lifecycle().onStateChange(state -> follow(s, state));
      // Readiness check results, as they change (no polling): /readyz and gRPC health agree.
      readinessSubscription = svc.health().onReadinessChange(ready -> follow(s, svc.lifecycle().state()));
    }

    private void follow(GrpcServer s, LifecycleState state) {
      if (state == LifecycleState.READY) {
        s.setServing(svc.health().isReady());
      } else if (state != LifecycleState.STARTING) {
        s.drain();
      }
    }

    @Override
    public void drain() {
      GrpcServer s = serverIfRequested();
      if (s != null) {
        s.drain();
      }
    }

    @Override
    public void resume() {
      GrpcServer s = serverIfRequested();
      if (s != null) {
        s.resume(); // the READY that follows sets SERVING again, from the service's readiness
      }
    }

    @Override
    public void stop(Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        if (readinessSubscription != null) {
          readinessSubscription.close();
        }
        if (stateSubscription != null) {
          stateSubscription.close();
        }
        GrpcServer s = serverIfRequested();
        if (s != null) {
          s.stop(timeout);
        }
      } finally {
        // After the server: handlers that finished during the drain could still call downstream.
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        channels.close(left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
      }
    }
  }
}
