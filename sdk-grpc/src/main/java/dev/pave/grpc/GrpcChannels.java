package dev.pave.grpc;

import static java.util.Objects.requireNonNull;

import dev.pave.grpc.internal.ClientInterceptors;
import dev.pave.grpc.internal.GrpcTracing;
import dev.pave.grpc.internal.RpcMetrics;
import dev.pave.grpc.internal.ServiceConfigs;
import dev.pave.grpc.internal.TlsReloader;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and owns client channels, one per logical name, each with Pave's client interceptors in
 * this order (outermost first): tracing, metrics, DEBUG call log, default deadline, circuit
 * breaker; below them gRPC's own retry policy and load balancing (see {@link GrpcClientSettings}).
 *
 * <p>In a Pave service use {@link PaveGrpc#channel(String)}, which reads the settings from
 * {@code grpc.clients.<name>.*} and closes the channels after the server has drained. Thread-safe.
 */
public final class GrpcChannels {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcChannels.class);

  private final MeterRegistry meterRegistry;
  private final GrpcTracing tracing;
  private final RpcMetrics metrics;
  private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
  private final Map<String, Entry> channels = new LinkedHashMap<>();
  private boolean closed;

  private record Entry(GrpcClientSettings settings, ManagedChannel managed, Channel channel, TlsReloader tls) {}

  private GrpcChannels(Builder b) {
    this.meterRegistry = b.meterRegistry;
    this.tracing = new GrpcTracing(b.openTelemetry);
    this.metrics = new RpcMetrics(meterRegistry, "client", Tags.empty());
    // resilience4j.circuitbreaker.state{name=<channel>, state=closed|open|half_open|...} = 1 or 0
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meterRegistry);
  }

  /** Returns a builder; a meter registry and an OpenTelemetry instance are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the channel named {@code settings.name()}, creating it on first use. Asking again for
   * the same name returns the same channel; asking with different settings is an error.
   *
   * @throws IllegalStateException if closed, or if the name exists with other settings
   */
  public synchronized Channel channel(GrpcClientSettings settings) {
    requireNonNull(settings, "settings");
    if (closed) {
      throw new IllegalStateException("gRPC channels are closed");
    }
    Entry existing = channels.get(settings.name());
    if (existing != null) {
      if (!existing.settings().equals(settings)) {
        throw new IllegalStateException(
            "gRPC client '" + settings.name() + "' already exists with other settings: "
                + existing.settings() + ", asked again with " + settings);
      }
      return existing.channel();
    }
    List<ClientInterceptor> innermostFirst = new ArrayList<>();
    if (settings.breakerEnabled()) {
      innermostFirst.add(
          ClientInterceptors.circuitBreaker(
              breaker(settings), GrpcClientSettings.BREAKER_FAILURE_CODES));
    }
    innermostFirst.add(ClientInterceptors.defaultDeadline(settings.defaultDeadline()));
    innermostFirst.add(ClientInterceptors.debugLog(settings.name()));
    innermostFirst.add(ClientInterceptors.metrics(metrics));
    innermostFirst.add(tracing.clientInterceptor());
    // Missing, expired or mismatched TLS files fail here, naming grpc.clients.<name>.tls.dir.
    TlsReloader tls = settings.tls().map(t -> TlsReloader.forClient(settings.name(), t, meterRegistry)).orElse(null);
    NettyChannelBuilder builder =
        NettyChannelBuilder.forTarget(settings.target(),
                tls == null ? InsecureChannelCredentials.create() : tls.channelCredentials())
            .defaultServiceConfig(ServiceConfigs.of(settings))
            // The service config is ours: never take one from DNS TXT records.
            .disableServiceConfigLookUp()
            .maxInboundMessageSize(settings.maxInboundMessageSize())
            .keepAliveTime(settings.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(settings.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveWithoutCalls(settings.keepAliveWithoutCalls())
            // ManagedChannelBuilder runs interceptors in the reverse order of addition.
            .intercept(innermostFirst);
    // Retry stays enabled even with 1 attempt: gRPC then still makes its transparent retries
    // (a stream refused by a server going away is replayed on another connection).
    builder.enableRetry().maxRetryAttempts(Math.max(2, settings.retryMaxAttempts()));
    ManagedChannel managed = builder.build();
    // Hand out a plain Channel: the owner (this object, i.e. the service lifecycle) shuts it down.
    Channel exposed =
        new Channel() {
          @Override
          public <Q, R> ClientCall<Q, R> newCall(
              MethodDescriptor<Q, R> method, CallOptions callOptions) {
            return managed.newCall(method, callOptions);
          }

          @Override
          public String authority() {
            return managed.authority();
          }

          @Override
          public String toString() {
            return "PaveChannel{" + settings.name() + " -> " + settings.target() + "}";
          }
        };
    channels.put(settings.name(), new Entry(settings, managed, exposed, tls));
    LOG.atInfo()
        .addKeyValue("grpc.client", settings.name())
        .addKeyValue("target", settings.target())
        .log("gRPC client '{}' -> {} ({})", settings.name(), settings.target(), tls == null ? "plaintext" : "TLS");
    return exposed;
  }

  private CircuitBreaker breaker(GrpcClientSettings s) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(s.breakerSlidingWindowSize())
            .minimumNumberOfCalls(s.breakerMinimumNumberOfCalls())
            .failureRateThreshold(s.breakerFailureRateThreshold())
            .waitDurationInOpenState(s.breakerWaitInOpenState())
            .permittedNumberOfCallsInHalfOpenState(s.breakerPermittedCallsInHalfOpenState())
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .build();
    CircuitBreaker breaker = breakers.circuitBreaker(s.name(), config);
    breaker
        .getEventPublisher()
        .onStateTransition(
            e ->
                LOG.atWarn()
                    .addKeyValue("grpc.client", s.name())
                    .log(
                        "gRPC client '{}' circuit breaker: {}",
                        s.name(),
                        e.getStateTransition()));
    return breaker;
  }

  /**
   * Closes every channel: {@code shutdown()} (calls in flight continue), waits up to {@code
   * timeout} in all, then {@code shutdownNow()}. Idempotent.
   */
  public void close(Duration timeout) throws InterruptedException {
    requireNonNull(timeout, "timeout");
    List<ManagedChannel> toClose = new ArrayList<>();
    List<TlsReloader> tlsToClose = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      channels.values().forEach(e -> toClose.add(e.managed()));
      channels.values().stream().map(Entry::tls).filter(java.util.Objects::nonNull).forEach(tlsToClose::add);
    }
    tlsToClose.forEach(TlsReloader::close);
    toClose.forEach(ManagedChannel::shutdown);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ManagedChannel channel : toClose) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
        channel.shutdownNow();
      }
    }
  }

  /** Builder of {@link GrpcChannels}. */
  public static final class Builder extends ObservedBuilder<Builder> {
    private Builder() {}

    /** Returns the (empty) set of channels. */
    public GrpcChannels build() {
      requireObservability();
      return new GrpcChannels(this);
    }
  }
}
