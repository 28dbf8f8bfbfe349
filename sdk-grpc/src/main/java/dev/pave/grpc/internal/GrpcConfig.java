package dev.pave.grpc.internal;

import dev.pave.config.Config;
import dev.pave.config.ConfigException;
import dev.pave.config.DataSize;
import dev.pave.config.DefaultValue;
import dev.pave.grpc.GrpcClientSettings;
import dev.pave.grpc.GrpcServerSettings;
import dev.pave.grpc.GrpcTls;
import io.grpc.Status;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds {@code grpc.port}, {@code grpc.server.*} and {@code grpc.clients.<name>.*}. Every key is
 * declared once here, as a record component with its {@link DefaultValue}; the settings classes'
 * {@code DEFAULT_*} constants and builders take their defaults from these records
 * ({@link #SERVER_DEFAULTS}, {@link #CLIENT_DEFAULTS}). Binding reports every missing, malformed
 * and unknown key at once ({@link Config#bind}). docs/grpc.md's table is checked against them.
 */
public final class GrpcConfig {

  /** Key of the server port, the one key outside the records: {@code grpc} also holds the clients. */
  public static final String PORT = "grpc.port";
  /** {@value #PORT}'s default. */
  public static final int DEFAULT_PORT = 8080;

  private GrpcConfig() {}

  /**
   * {@code grpc.server.*}.
   *
   * @param host bind address
   * @param defaultDeadline deadline of calls that arrive without one
   * @param maxInboundMessageSize larger messages fail with {@code RESOURCE_EXHAUSTED} (grpc-java's
   *     default)
   * @param maxInboundMetadataSize larger headers are rejected by the transport (grpc-java's default)
   * @param maxConcurrentCalls calls in flight before new ones fail at once with {@code RESOURCE_EXHAUSTED}; 0,
   *     load shedding off
   * @param maxConcurrentStreams streams (calls) per connection, advertised as HTTP/2 {@code
   *     SETTINGS_MAX_CONCURRENT_STREAMS}. grpc-java's default is unlimited, which let one connection
   *     hold 100,000 open streams and exhaust the heap (security report D1); 256 is four times the
   *     highest concurrency of Pave's benchmarks, and a grpc-java client queues calls beyond it
   * @param rapidReset {@code grpc.server.rapid-reset.*}
   * @param keepalive {@code grpc.server.keepalive.*}
   * @param maxConnectionAge connection age before GOAWAY, so clients rebalance over new pods
   * @param maxConnectionAgeGrace grace for calls on an aged connection
   * @param reflection {@code grpc.server.reflection.*}
   * @param accessLog {@code grpc.server.access-log.*}
   * @param tls {@code grpc.server.tls.*}
   */
  public record ServerKeys(
      @DefaultValue("0.0.0.0") String host,
      @DefaultValue("30s") Duration defaultDeadline,
      @DefaultValue("4MiB") DataSize maxInboundMessageSize,
      @DefaultValue("8KiB") DataSize maxInboundMetadataSize,
      @DefaultValue("0") int maxConcurrentCalls,
      @DefaultValue("256") int maxConcurrentStreams,
      RapidReset rapidReset,
      ServerKeepAlive keepalive,
      @DefaultValue("10m") Duration maxConnectionAge,
      @DefaultValue("1m") Duration maxConnectionAgeGrace,
      Reflection reflection,
      AccessLog accessLog,
      ServerTls tls) {}

  /**
   * {@code grpc.server.tls.*} ({@link GrpcTls}): TLS is on when {@code dir} is set.
   *
   * @param dir directory of {@code tls.crt}, {@code tls.key} and {@code ca.crt} (a mounted
   *     {@code kubernetes.io/tls} Secret); unset, the server speaks plaintext
   * @param clientAuth NONE, OPTIONAL or REQUIRE (mutual TLS: clients must present a certificate
   *     signed by {@code ca.crt})
   * @param refreshInterval interval between two reads of the files
   */
  public record ServerTls(
      Optional<java.nio.file.Path> dir,
      @DefaultValue("NONE") GrpcTls.ClientAuth clientAuth,
      @DefaultValue("1m") Duration refreshInterval) {}

  /**
   * {@code grpc.clients.<name>.tls.*} ({@link GrpcTls}): TLS is on when {@code enabled} is true or
   * {@code dir} is set.
   *
   * @param enabled TLS with the JDK's trust store when no {@code dir} is set
   * @param dir directory of {@code ca.crt} (trusted for the server) and, for mutual TLS, the
   *     client's {@code tls.crt} and {@code tls.key}
   * @param refreshInterval interval between two reads of the files
   */
  public record ClientTls(
      @DefaultValue("false") boolean enabled,
      Optional<java.nio.file.Path> dir,
      @DefaultValue("1m") Duration refreshInterval) {}

  /**
   * {@code grpc.server.keepalive.*}.
   *
   * @param time server keepalive ping interval
   * @param timeout ping ack timeout
   * @param permitTime smallest client ping interval tolerated
   * @param permitWithoutCalls whether clients may ping without calls
   */
  public record ServerKeepAlive(
      @DefaultValue("5m") Duration time,
      @DefaultValue("20s") Duration timeout,
      @DefaultValue("20s") Duration permitTime,
      @DefaultValue("false") boolean permitWithoutCalls) {}

  /**
   * {@code grpc.server.rapid-reset.*}: an HTTP/2 "rapid reset" peer opens and cancels streams as
   * fast as it can (CVE-2023-44487); one connection did so 27,000 times a second, each a server
   * call and an access-log line (security report D9). 1000 per 10 s lets a busy client cancel 100
   * calls a second.
   *
   * @param maxResets streams a connection may reset within {@code window} before it is closed
   * @param window the window of {@code maxResets}
   */
  public record RapidReset(@DefaultValue("1000") int maxResets, @DefaultValue("10s") Duration window) {}

  /**
   * {@code grpc.server.reflection.*}.
   *
   * @param enabled whether the server reflection service is registered
   */
  public record Reflection(@DefaultValue("true") boolean enabled) {}

  /**
   * {@code grpc.server.access-log.*}.
   *
   * @param level level of the one access-log line per call: OFF, ERROR, WARN, INFO, DEBUG or TRACE
   * @param methods per service ({@code pkg.Service}) or method ({@code pkg.Service/Method}) levels,
   *     on top of the built-in ones (health checks and reflection off)
   */
  public record AccessLog(@DefaultValue("INFO") String level, Map<String, String> methods) {}

  /**
   * {@code grpc.clients.<name>.*}.
   *
   * @param target the gRPC target ({@code dns:///payments:8080}); required
   * @param loadBalancingPolicy gRPC load-balancing policy
   * @param defaultDeadline deadline of a call that sets none
   * @param maxInboundMessageSize larger responses fail with {@code RESOURCE_EXHAUSTED}
   * @param keepalive {@code keepalive.*}
   * @param retry {@code retry.*}
   * @param circuitBreaker {@code circuit-breaker.*}
   * @param tls {@code tls.*}
   */
  public record ClientKeys(
      Optional<String> target,
      @DefaultValue("round_robin") String loadBalancingPolicy,
      @DefaultValue("10s") Duration defaultDeadline,
      @DefaultValue("4MiB") DataSize maxInboundMessageSize,
      ClientKeepAlive keepalive,
      Retry retry,
      Breaker circuitBreaker,
      ClientTls tls) {}

  /**
   * {@code grpc.clients.<name>.keepalive.*}.
   *
   * @param time keepalive ping interval
   * @param timeout ping ack timeout
   * @param withoutCalls whether to ping without calls
   */
  public record ClientKeepAlive(
      @DefaultValue("30s") Duration time,
      @DefaultValue("10s") Duration timeout,
      @DefaultValue("false") boolean withoutCalls) {}

  /**
   * {@code grpc.clients.<name>.retry.*}.
   *
   * @param maxAttempts attempts per call including the first; 1 turns retries off
   * @param initialBackoff first backoff
   * @param maxBackoff backoff cap
   * @param backoffMultiplier backoff growth per attempt
   * @param statusCodes comma-separated status code names retried for every method
   * @param methods per service or method codes, replacing {@code statusCodes} for it
   */
  public record Retry(
      @DefaultValue("3") int maxAttempts,
      @DefaultValue("100ms") Duration initialBackoff,
      @DefaultValue("2s") Duration maxBackoff,
      @DefaultValue("2.0") double backoffMultiplier,
      @DefaultValue("UNAVAILABLE") String statusCodes,
      Map<String, String> methods) {}

  /**
   * {@code grpc.clients.<name>.circuit-breaker.*} (Resilience4j's, one per channel).
   *
   * @param enabled whether the breaker runs
   * @param failureRateThreshold failure rate, in percent, that opens the breaker
   * @param minimumNumberOfCalls calls before the rate is computed
   * @param slidingWindowSize count-based sliding window
   * @param waitDurationInOpenState time the breaker stays open
   * @param permittedCallsInHalfOpenState trial calls when half-open
   */
  public record Breaker(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("50") double failureRateThreshold,
      @DefaultValue("20") int minimumNumberOfCalls,
      @DefaultValue("50") int slidingWindowSize,
      @DefaultValue("10s") Duration waitDurationInOpenState,
      @DefaultValue("5") int permittedCallsInHalfOpenState) {}

  /** {@code grpc.server.*} when nothing is set: each component's {@link DefaultValue}. */
  public static final ServerKeys SERVER_DEFAULTS = Config.defaults(ServerKeys.class);
  /** {@code grpc.clients.<name>.*} when nothing is set (no target). */
  public static final ClientKeys CLIENT_DEFAULTS = Config.defaults(ClientKeys.class);

  /** Reads the server settings. */
  public static GrpcServerSettings server(Config config) {
    var problems = new java.util.ArrayList<ConfigException.Problem>();
    Integer port = ConfigException.collect(() -> config.get(PORT, Integer.class, DEFAULT_PORT), problems);
    ServerKeys k = ConfigException.collect(() -> config.bind("grpc.server", ServerKeys.class), problems);
    ConfigException.throwIfAny(problems);
    // Each value goes through the builder's own range check; every rejected key is reported.
    GrpcServerSettings.Builder b = GrpcServerSettings.builder();
    var set = new Setter(config, "grpc.server");
    int p = port;
    set.apply(PORT, () -> b.port(p));
    set.apply("host", () -> b.host(k.host()));
    set.apply("default-deadline", () -> b.defaultDeadline(k.defaultDeadline()));
    set.apply("max-inbound-message-size",
        () -> b.maxInboundMessageSize(bytes(k.maxInboundMessageSize(), "grpc.server.max-inbound-message-size")));
    set.apply("max-inbound-metadata-size",
        () -> b.maxInboundMetadataSize(bytes(k.maxInboundMetadataSize(), "grpc.server.max-inbound-metadata-size")));
    set.apply("max-concurrent-calls", () -> b.maxConcurrentCalls(k.maxConcurrentCalls()));
    set.apply("max-concurrent-streams", () -> b.maxConcurrentStreams(k.maxConcurrentStreams()));
    set.apply("rapid-reset.max-resets", () -> b.rapidResetMaxResets(k.rapidReset().maxResets()));
    set.apply("rapid-reset.window", () -> b.rapidResetWindow(k.rapidReset().window()));
    set.apply("keepalive.time", () -> b.keepAliveTime(k.keepalive().time()));
    set.apply("keepalive.timeout", () -> b.keepAliveTimeout(k.keepalive().timeout()));
    set.apply("keepalive.permit-time", () -> b.permitKeepAliveTime(k.keepalive().permitTime()));
    set.apply("keepalive.permit-without-calls",
        () -> b.permitKeepAliveWithoutCalls(k.keepalive().permitWithoutCalls()));
    set.apply("max-connection-age", () -> b.maxConnectionAge(k.maxConnectionAge()));
    set.apply("max-connection-age-grace", () -> b.maxConnectionAgeGrace(k.maxConnectionAgeGrace()));
    set.apply("reflection.enabled", () -> b.reflectionEnabled(k.reflection().enabled()));
    set.apply("access-log.level", () -> b.accessLogLevel(k.accessLog().level()));
    k.accessLog().methods().forEach((method, level) ->
        set.apply("access-log.methods." + method, () -> b.accessLogMethodLevel(method, level)));
    ServerTls tls = k.tls();
    if (tls.dir().isPresent()) {
      set.apply("tls.refresh-interval", () -> b.tls(GrpcTls.fromDirectory(tls.dir().get())
          .withClientAuth(tls.clientAuth())
          .withRefreshInterval(tls.refreshInterval())));
    } else if (tls.clientAuth() != GrpcTls.ClientAuth.NONE) {
      set.apply("tls.client-auth", () -> {
        throw new IllegalArgumentException("client authentication " + tls.clientAuth()
            + " needs TLS: set grpc.server.tls.dir too (the directory of tls.crt, tls.key and ca.crt)");
      });
    }
    set.throwIfProblems();
    return b.build();
  }

  /** Reads the settings of client {@code name}. */
  public static GrpcClientSettings client(Config config, String name) {
    if (name == null || name.isBlank() || name.contains(".")) {
      throw new IllegalArgumentException(
          "gRPC client name must be a non-blank word without dots (grpc.clients.<name>), was '"
              + name + "'");
    }
    String prefix = "grpc.clients." + name;
    ClientKeys k = config.bind(prefix, ClientKeys.class);
    String target = k.target().orElseThrow(() -> ConfigException.of(prefix + ".target", ConfigException.NO_SOURCE,
        "missing; expected the gRPC target of client '" + name + "', such as dns:///payments:8080 (env "
            + ("GRPC_CLIENTS_" + name + "_TARGET").toUpperCase(Locale.ROOT).replace('-', '_') + ")"));
    GrpcClientSettings.Builder b = GrpcClientSettings.builder(name, target);
    var set = new Setter(config, prefix);
    set.apply("load-balancing-policy", () -> b.loadBalancingPolicy(k.loadBalancingPolicy()));
    set.apply("default-deadline", () -> b.defaultDeadline(k.defaultDeadline()));
    set.apply("max-inbound-message-size",
        () -> b.maxInboundMessageSize(bytes(k.maxInboundMessageSize(), prefix + ".max-inbound-message-size")));
    set.apply("keepalive.time", () -> b.keepAliveTime(k.keepalive().time()));
    set.apply("keepalive.timeout", () -> b.keepAliveTimeout(k.keepalive().timeout()));
    set.apply("keepalive.without-calls", () -> b.keepAliveWithoutCalls(k.keepalive().withoutCalls()));
    set.apply("retry.max-attempts", () -> b.retryMaxAttempts(k.retry().maxAttempts()));
    set.apply("retry.initial-backoff", () -> b.retryInitialBackoff(k.retry().initialBackoff()));
    set.apply("retry.max-backoff", () -> b.retryMaxBackoff(k.retry().maxBackoff()));
    set.apply("retry.backoff-multiplier", () -> b.retryBackoffMultiplier(k.retry().backoffMultiplier()));
    set.apply("retry.status-codes",
        () -> b.retryStatusCodes(codes(k.retry().statusCodes(), prefix + ".retry.status-codes")));
    k.retry().methods().forEach((method, c) -> set.apply("retry.methods." + method,
        () -> b.retryMethodStatusCodes(method, codes(c, prefix + ".retry.methods." + method))));
    Breaker cb = k.circuitBreaker();
    set.apply("circuit-breaker.enabled", () -> b.breakerEnabled(cb.enabled()));
    set.apply("circuit-breaker.failure-rate-threshold",
        () -> b.breakerFailureRateThreshold((float) cb.failureRateThreshold()));
    set.apply("circuit-breaker.minimum-number-of-calls", () -> b.breakerMinimumNumberOfCalls(cb.minimumNumberOfCalls()));
    set.apply("circuit-breaker.sliding-window-size", () -> b.breakerSlidingWindowSize(cb.slidingWindowSize()));
    set.apply("circuit-breaker.wait-duration-in-open-state",
        () -> b.breakerWaitInOpenState(cb.waitDurationInOpenState()));
    set.apply("circuit-breaker.permitted-calls-in-half-open-state",
        () -> b.breakerPermittedCallsInHalfOpenState(cb.permittedCallsInHalfOpenState()));
    ClientTls tls = k.tls();
    if (tls.enabled() || tls.dir().isPresent()) {
      set.apply("tls.refresh-interval", () -> b.tls(
          tls.dir().map(GrpcTls::fromDirectory).orElseGet(GrpcTls::systemTrust).withRefreshInterval(tls.refreshInterval())));
    }
    set.throwIfProblems();
    return b.build();
  }

  /** Applies bound values to a builder, keeping each value its range check rejects as a problem of its key. */
  private static final class Setter {
    private final Config config;
    private final String prefix;
    private final java.util.List<ConfigException.Problem> problems = new java.util.ArrayList<>();

    Setter(Config config, String prefix) {
      this.config = config;
      this.prefix = prefix;
    }

    /** {@code relative} is a key under the prefix, or {@link #PORT}. */
    void apply(String relative, Runnable set) {
      try {
        set.run();
      } catch (IllegalArgumentException e) {
        String key = relative.equals(PORT) ? PORT : prefix + "." + relative;
        String source = config.entry(key).map(dev.pave.config.ConfigEntry::source).orElse("default");
        problems.add(new ConfigException.Problem(key, source, e.getMessage()));
      }
    }

    void throwIfProblems() {
      ConfigException.throwIfAny(problems);
    }
  }

  /** {@code size} in bytes, as the settings' int options take it. */
  public static int bytes(DataSize size, String key) {
    long bytes = size.toBytes();
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be below 2GiB, was " + size);
    }
    return (int) bytes;
  }

  /** Parses comma-separated status code names ("UNAVAILABLE, ABORTED"); blank means none. */
  public static Set<Status.Code> codes(String text, String key) {
    Set<Status.Code> codes = EnumSet.noneOf(Status.Code.class);
    for (String part : text.split(",")) {
      String name = part.trim().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      try {
        codes.add(Status.Code.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            key + ": '" + part.trim() + "' is not a gRPC status code; expected names from "
                + Arrays.toString(Status.Code.values()),
            e);
      }
    }
    return codes;
  }
}
