package dev.pave.grpc;

import static java.util.Objects.requireNonNull;

import dev.pave.config.Config;
import dev.pave.grpc.internal.GrpcConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable settings of a Pave gRPC server, bound from the {@code grpc.port} and
 * {@code grpc.server.*} configuration keys by {@link PaveGrpc}, or built with {@link #builder()}.
 *
 * <p>Every option has a default, declared once as the {@code @DefaultValue} of its key's record
 * component in {@code GrpcConfig} and exposed as a {@code DEFAULT_*} constant. Sizes are in bytes, times are {@link Duration}s.
 */
public final class GrpcServerSettings {

  private static final GrpcConfig.ServerKeys D = GrpcConfig.SERVER_DEFAULTS;

  /** Default port, key {@code grpc.port}. */
  public static final int DEFAULT_PORT = GrpcConfig.DEFAULT_PORT;
  /** Default bind address, key {@code grpc.server.host}: every interface. */
  public static final String DEFAULT_HOST = D.host();
  /** Default deadline applied when the caller sent none, key {@code grpc.server.default-deadline}. */
  public static final Duration DEFAULT_DEADLINE = D.defaultDeadline();
  /** Default maximum inbound message size (4 MiB, grpc-java's), key {@code grpc.server.max-inbound-message-size}. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE =
      GrpcConfig.bytes(D.maxInboundMessageSize(), "grpc.server.max-inbound-message-size");
  /** Default maximum inbound metadata size (8 KiB, grpc-java's), key {@code grpc.server.max-inbound-metadata-size}. */
  public static final int DEFAULT_MAX_INBOUND_METADATA_SIZE =
      GrpcConfig.bytes(D.maxInboundMetadataSize(), "grpc.server.max-inbound-metadata-size");
  /** Default concurrency limit, key {@code grpc.server.max-concurrent-calls}: 0, load shedding off. */
  public static final int DEFAULT_MAX_CONCURRENT_CALLS = D.maxConcurrentCalls();
  /**
   * Default limit of concurrent streams (calls) per connection, key {@code
   * grpc.server.max-concurrent-streams}: 256 (why: {@link GrpcConfig.ServerKeys}).
   */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = D.maxConcurrentStreams();
  /**
   * Default number of streams a connection may reset within {@link #DEFAULT_RAPID_RESET_WINDOW}
   * before the server closes it, key {@code grpc.server.rapid-reset.max-resets} (why: {@link
   * GrpcConfig.RapidReset}).
   */
  public static final int DEFAULT_RAPID_RESET_MAX_RESETS = D.rapidReset().maxResets();
  /** Default window of {@link #DEFAULT_RAPID_RESET_MAX_RESETS}, key {@code grpc.server.rapid-reset.window}. */
  public static final Duration DEFAULT_RAPID_RESET_WINDOW = D.rapidReset().window();
  /** Default server keepalive ping interval, key {@code grpc.server.keepalive.time}. */
  public static final Duration DEFAULT_KEEPALIVE_TIME = D.keepalive().time();
  /** Default server keepalive ack timeout, key {@code grpc.server.keepalive.timeout}. */
  public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = D.keepalive().timeout();
  /** Default smallest client ping interval tolerated, key {@code grpc.server.keepalive.permit-time}. */
  public static final Duration DEFAULT_PERMIT_KEEPALIVE_TIME = D.keepalive().permitTime();
  /** Default for pings without calls, key {@code grpc.server.keepalive.permit-without-calls}. */
  public static final boolean DEFAULT_PERMIT_KEEPALIVE_WITHOUT_CALLS = D.keepalive().permitWithoutCalls();
  /** Default connection age before GOAWAY, key {@code grpc.server.max-connection-age}. */
  public static final Duration DEFAULT_MAX_CONNECTION_AGE = D.maxConnectionAge();
  /** Default grace for calls on an aged connection, key {@code grpc.server.max-connection-age-grace}. */
  public static final Duration DEFAULT_MAX_CONNECTION_AGE_GRACE = D.maxConnectionAgeGrace();
  /** Default for server reflection, key {@code grpc.server.reflection.enabled}. */
  public static final boolean DEFAULT_REFLECTION_ENABLED = D.reflection().enabled();
  /** Default access log level, key {@code grpc.server.access-log.level}. */
  public static final String DEFAULT_ACCESS_LOG_LEVEL = D.accessLog().level();
  /**
   * Default per-service/method access log levels, keys {@code grpc.server.access-log.methods.<name>}:
   * health checks and reflection are not logged.
   */
  public static final Map<String, String> DEFAULT_ACCESS_LOG_METHOD_LEVELS =
      Map.of(
          "grpc.health.v1.Health", "OFF",
          "grpc.reflection.v1.ServerReflection", "OFF",
          "grpc.reflection.v1alpha.ServerReflection", "OFF");

  /** Access log levels understood by {@link Builder#accessLogLevel(String)}. */
  public static final Set<String> ACCESS_LOG_LEVELS =
      // Ordered (Set.of's order changes from run to run, and error messages list these).
      // PaveLogging's one list, from OFF to the most verbose.
      java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(
          reversed(dev.pave.logging.PaveLogging.LEVELS)));

  private static java.util.List<String> reversed(java.util.List<String> levels) {
    java.util.List<String> copy = new java.util.ArrayList<>(levels);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private final String host;
  private final int port;
  private final Duration defaultDeadline;
  private final int maxInboundMessageSize;
  private final int maxInboundMetadataSize;
  private final int maxConcurrentCalls;
  private final int maxConcurrentStreams;
  private final int rapidResetMaxResets;
  private final Duration rapidResetWindow;
  private final Duration keepAliveTime;
  private final Duration keepAliveTimeout;
  private final Duration permitKeepAliveTime;
  private final boolean permitKeepAliveWithoutCalls;
  private final Duration maxConnectionAge;
  private final Duration maxConnectionAgeGrace;
  private final boolean reflectionEnabled;
  private final String accessLogLevel;
  private final Map<String, String> accessLogMethodLevels;
  private final GrpcTls tls;

  private GrpcServerSettings(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.defaultDeadline = b.defaultDeadline;
    this.maxInboundMessageSize = b.maxInboundMessageSize;
    this.maxInboundMetadataSize = b.maxInboundMetadataSize;
    this.maxConcurrentCalls = b.maxConcurrentCalls;
    this.maxConcurrentStreams = b.maxConcurrentStreams;
    this.rapidResetMaxResets = b.rapidResetMaxResets;
    this.rapidResetWindow = b.rapidResetWindow;
    this.keepAliveTime = b.keepAliveTime;
    this.keepAliveTimeout = b.keepAliveTimeout;
    this.permitKeepAliveTime = b.permitKeepAliveTime;
    this.permitKeepAliveWithoutCalls = b.permitKeepAliveWithoutCalls;
    this.maxConnectionAge = b.maxConnectionAge;
    this.maxConnectionAgeGrace = b.maxConnectionAgeGrace;
    this.reflectionEnabled = b.reflectionEnabled;
    this.accessLogLevel = b.accessLogLevel;
    this.accessLogMethodLevels = Map.copyOf(b.accessLogMethodLevels);
    this.tls = b.tls;
  }

  /** Returns a builder holding every default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads {@code grpc.port} and {@code grpc.server.*}; unset keys take their defaults.
   *
   * @throws dev.pave.config.ConfigException listing every malformed or unknown key
   * @throws IllegalArgumentException naming the key whose value is out of range
   */
  public static GrpcServerSettings from(Config config) {
    return GrpcConfig.server(requireNonNull(config, "config"));
  }

  /** Returns the settings with every default. */
  public static GrpcServerSettings defaults() {
    return builder().build();
  }

  /** Returns a builder initialised from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.defaultDeadline = defaultDeadline;
    b.maxInboundMessageSize = maxInboundMessageSize;
    b.maxInboundMetadataSize = maxInboundMetadataSize;
    b.maxConcurrentCalls = maxConcurrentCalls;
    b.maxConcurrentStreams = maxConcurrentStreams;
    b.rapidResetMaxResets = rapidResetMaxResets;
    b.rapidResetWindow = rapidResetWindow;
    b.keepAliveTime = keepAliveTime;
    b.keepAliveTimeout = keepAliveTimeout;
    b.permitKeepAliveTime = permitKeepAliveTime;
    b.permitKeepAliveWithoutCalls = permitKeepAliveWithoutCalls;
    b.maxConnectionAge = maxConnectionAge;
    b.maxConnectionAgeGrace = maxConnectionAgeGrace;
    b.reflectionEnabled = reflectionEnabled;
    b.accessLogLevel = accessLogLevel;
    b.accessLogMethodLevels = new LinkedHashMap<>(accessLogMethodLevels);
    b.tls = tls;
    return b;
  }

  /** Bind address. */
  public String host() {
    return host;
  }

  /** Port; 0 picks a free port (see {@link GrpcServer#port()}). */
  public int port() {
    return port;
  }

  /** Deadline given to a call whose caller sent none. */
  public Duration defaultDeadline() {
    return defaultDeadline;
  }

  /** Largest inbound message in bytes; larger ones fail with {@code RESOURCE_EXHAUSTED}. */
  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  /** Largest inbound metadata (headers) in bytes. */
  public int maxInboundMetadataSize() {
    return maxInboundMetadataSize;
  }

  /** Concurrency limit over all methods; empty when load shedding is off. */
  public Optional<Integer> maxConcurrentCalls() {
    return maxConcurrentCalls == 0 ? Optional.empty() : Optional.of(maxConcurrentCalls);
  }

  /** Concurrent streams (calls) one connection may have open; further ones are refused. */
  public int maxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  /** Streams a connection may reset within {@link #rapidResetWindow()} before it is closed. */
  public int rapidResetMaxResets() {
    return rapidResetMaxResets;
  }

  /** The window over which {@link #rapidResetMaxResets()} is counted (whole seconds). */
  public Duration rapidResetWindow() {
    return rapidResetWindow;
  }

  /** Interval of the server's keepalive pings. */
  public Duration keepAliveTime() {
    return keepAliveTime;
  }

  /** Time the server waits for a keepalive ack before closing the connection. */
  public Duration keepAliveTimeout() {
    return keepAliveTimeout;
  }

  /** Smallest client keepalive interval tolerated; more frequent pings get a GOAWAY. */
  public Duration permitKeepAliveTime() {
    return permitKeepAliveTime;
  }

  /** Whether clients may ping on connections without calls. */
  public boolean permitKeepAliveWithoutCalls() {
    return permitKeepAliveWithoutCalls;
  }

  /** Age after which a connection gets a GOAWAY, so clients reconnect and rebalance. */
  public Duration maxConnectionAge() {
    return maxConnectionAge;
  }

  /** Time calls on an aged connection get to finish before it is closed. */
  public Duration maxConnectionAgeGrace() {
    return maxConnectionAgeGrace;
  }

  /** Whether server reflection ({@code grpc.reflection.v1} and {@code v1alpha}) is served. */
  public boolean reflectionEnabled() {
    return reflectionEnabled;
  }

  /** Access log level for methods without their own entry; {@code OFF} disables the access log. */
  public String accessLogLevel() {
    return accessLogLevel;
  }

  /**
   * Access log levels per full method name ({@code pkg.Service/Method}) or service name
   * ({@code pkg.Service}); a method entry wins over its service's.
   */
  public Map<String, String> accessLogMethodLevels() {
    return accessLogMethodLevels;
  }

  /** TLS ({@code grpc.server.tls.*}); empty for plaintext, the default. */
  public Optional<GrpcTls> tls() {
    return Optional.ofNullable(tls);
  }

  @Override
  public String toString() {
    return "GrpcServerSettings{host=" + host + ", port=" + port + ", defaultDeadline="
        + defaultDeadline + ", maxInboundMessageSize=" + maxInboundMessageSize
        + ", maxConcurrentCalls=" + maxConcurrentCalls + ", maxConcurrentStreams=" + maxConcurrentStreams
        + ", rapidReset=" + rapidResetMaxResets + "/" + rapidResetWindow
        + ", maxConnectionAge=" + maxConnectionAge
        + ", maxConnectionAgeGrace=" + maxConnectionAgeGrace + ", reflectionEnabled="
        + reflectionEnabled + ", accessLogLevel=" + accessLogLevel
        + ", tls=" + (tls == null ? "off (plaintext)" : tls) + "}";
  }

  /** Builder of {@link GrpcServerSettings}; not thread-safe. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private Duration defaultDeadline = DEFAULT_DEADLINE;
    private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private int maxInboundMetadataSize = DEFAULT_MAX_INBOUND_METADATA_SIZE;
    private int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;
    private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
    private int rapidResetMaxResets = DEFAULT_RAPID_RESET_MAX_RESETS;
    private Duration rapidResetWindow = DEFAULT_RAPID_RESET_WINDOW;
    private Duration keepAliveTime = DEFAULT_KEEPALIVE_TIME;
    private Duration keepAliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;
    private Duration permitKeepAliveTime = DEFAULT_PERMIT_KEEPALIVE_TIME;
    private boolean permitKeepAliveWithoutCalls = DEFAULT_PERMIT_KEEPALIVE_WITHOUT_CALLS;
    private Duration maxConnectionAge = DEFAULT_MAX_CONNECTION_AGE;
    private Duration maxConnectionAgeGrace = DEFAULT_MAX_CONNECTION_AGE_GRACE;
    private boolean reflectionEnabled = DEFAULT_REFLECTION_ENABLED;
    private String accessLogLevel = DEFAULT_ACCESS_LOG_LEVEL;
    private Map<String, String> accessLogMethodLevels =
        new LinkedHashMap<>(DEFAULT_ACCESS_LOG_METHOD_LEVELS);
    private GrpcTls tls;

    private Builder() {}

    /**
     * Serves TLS (or mutual TLS) with the files {@code tls} names; default none (plaintext).
     * {@link GrpcServer#start()} fails naming {@code grpc.server.tls.dir} and the file when they
     * are missing, expired or do not match.
     *
     * @throws IllegalArgumentException for {@link GrpcTls#systemTrust()}, which has no certificate to serve
     */
    public Builder tls(GrpcTls tls) {
      requireNonNull(tls, "tls");
      if (tls.directory().isEmpty()) {
        throw new IllegalArgumentException("grpc.server.tls.dir: a server needs a directory of tls.crt and tls.key,"
            + " not the JDK's trust store");
      }
      this.tls = tls;
      return this;
    }

    /** Back to plaintext. */
    public Builder plaintext() {
      this.tls = null;
      return this;
    }

    /** Bind address; default {@link GrpcServerSettings#DEFAULT_HOST}. */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /** Port in [0, 65535], 0 for any free port; default {@value GrpcServerSettings#DEFAULT_PORT}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("grpc.port must be in [0, 65535], was " + port);
      }
      this.port = port;
      return this;
    }

    /** Deadline for calls whose caller sent none; positive; default {@link GrpcServerSettings#DEFAULT_DEADLINE}. */
    public Builder defaultDeadline(Duration deadline) {
      this.defaultDeadline = positive(deadline, "grpc.server.default-deadline");
      return this;
    }

    /** Largest inbound message in bytes, positive; default {@link GrpcServerSettings#DEFAULT_MAX_INBOUND_MESSAGE_SIZE}. */
    public Builder maxInboundMessageSize(int bytes) {
      this.maxInboundMessageSize = positive(bytes, "grpc.server.max-inbound-message-size");
      return this;
    }

    /** Largest inbound metadata in bytes, positive; default {@link GrpcServerSettings#DEFAULT_MAX_INBOUND_METADATA_SIZE}. */
    public Builder maxInboundMetadataSize(int bytes) {
      this.maxInboundMetadataSize = positive(bytes, "grpc.server.max-inbound-metadata-size");
      return this;
    }

    /**
     * Concurrency limit over all methods; calls beyond it fail at once with
     * {@code RESOURCE_EXHAUSTED}. 0 turns load shedding off (the default).
     */
    public Builder maxConcurrentCalls(int calls) {
      if (calls < 0) {
        throw new IllegalArgumentException(
            "grpc.server.max-concurrent-calls must be >= 0 (0 = off), was " + calls);
      }
      this.maxConcurrentCalls = calls;
      return this;
    }

    /**
     * Concurrent streams per connection, positive; default {@link
     * GrpcServerSettings#DEFAULT_MAX_CONCURRENT_STREAMS}.
     */
    public Builder maxConcurrentStreams(int streams) {
      this.maxConcurrentStreams = positive(streams, "grpc.server.max-concurrent-streams");
      return this;
    }

    /**
     * Streams a connection may reset within {@link #rapidResetWindow(Duration)} before the server
     * sends GOAWAY and closes it; positive; default {@link
     * GrpcServerSettings#DEFAULT_RAPID_RESET_MAX_RESETS}.
     */
    public Builder rapidResetMaxResets(int resets) {
      this.rapidResetMaxResets = positive(resets, "grpc.server.rapid-reset.max-resets");
      return this;
    }

    /** The window of {@link #rapidResetMaxResets(int)}: whole seconds, at least 1s; default {@link GrpcServerSettings#DEFAULT_RAPID_RESET_WINDOW}. */
    public Builder rapidResetWindow(Duration window) {
      positive(window, "grpc.server.rapid-reset.window");
      if (window.toSeconds() < 1 || window.toSeconds() > Integer.MAX_VALUE || window.toNanos() % 1_000_000_000L != 0) {
        throw new IllegalArgumentException(
            "grpc.server.rapid-reset.window must be a whole number of seconds, at least 1s, was " + window);
      }
      this.rapidResetWindow = window;
      return this;
    }

    /** Server keepalive ping interval; default {@link GrpcServerSettings#DEFAULT_KEEPALIVE_TIME}. */
    public Builder keepAliveTime(Duration time) {
      this.keepAliveTime = positive(time, "grpc.server.keepalive.time");
      return this;
    }

    /** Server keepalive ack timeout; default {@link GrpcServerSettings#DEFAULT_KEEPALIVE_TIMEOUT}. */
    public Builder keepAliveTimeout(Duration timeout) {
      this.keepAliveTimeout = positive(timeout, "grpc.server.keepalive.timeout");
      return this;
    }

    /** Smallest client keepalive interval tolerated; default {@link GrpcServerSettings#DEFAULT_PERMIT_KEEPALIVE_TIME}. */
    public Builder permitKeepAliveTime(Duration time) {
      this.permitKeepAliveTime = nonNegative(time, "grpc.server.keepalive.permit-time");
      return this;
    }

    /** Whether clients may ping without calls; default {@link GrpcServerSettings#DEFAULT_PERMIT_KEEPALIVE_WITHOUT_CALLS}. */
    public Builder permitKeepAliveWithoutCalls(boolean permit) {
      this.permitKeepAliveWithoutCalls = permit;
      return this;
    }

    /** Connection age before GOAWAY; default {@link GrpcServerSettings#DEFAULT_MAX_CONNECTION_AGE}. */
    public Builder maxConnectionAge(Duration age) {
      this.maxConnectionAge = positive(age, "grpc.server.max-connection-age");
      return this;
    }

    /** Grace for calls on an aged connection; default {@link GrpcServerSettings#DEFAULT_MAX_CONNECTION_AGE_GRACE}. */
    public Builder maxConnectionAgeGrace(Duration grace) {
      this.maxConnectionAgeGrace = nonNegative(grace, "grpc.server.max-connection-age-grace");
      return this;
    }

    /** Whether server reflection is served; default {@link GrpcServerSettings#DEFAULT_REFLECTION_ENABLED}. */
    public Builder reflectionEnabled(boolean enabled) {
      this.reflectionEnabled = enabled;
      return this;
    }

    /** Access log level, one of {@link GrpcServerSettings#ACCESS_LOG_LEVELS}; default INFO. */
    public Builder accessLogLevel(String level) {
      this.accessLogLevel = level(level, "grpc.server.access-log.level");
      return this;
    }

    /**
     * Access log level of one method ({@code pkg.Service/Method}) or service ({@code pkg.Service}),
     * e.g. {@code "OFF"} for a noisy method or {@code "INFO"} to log health checks.
     */
    public Builder accessLogMethodLevel(String methodOrService, String level) {
      requireNonNull(methodOrService, "methodOrService");
      accessLogMethodLevels.put(
          methodOrService, level(level, "grpc.server.access-log.methods." + methodOrService));
      return this;
    }

    /** Returns the immutable settings. */
    public GrpcServerSettings build() {
      return new GrpcServerSettings(this);
    }

    private static String level(String level, String key) {
      requireNonNull(level, key);
      String upper = level.trim().toUpperCase(Locale.ROOT);
      if (!ACCESS_LOG_LEVELS.contains(upper)) {
        throw new IllegalArgumentException(
            key + " must be one of " + ACCESS_LOG_LEVELS + ", was '" + level + "'");
      }
      return upper;
    }
  }

  static Duration positive(Duration d, String key) {
    requireNonNull(d, key);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, was " + d);
    }
    return d;
  }

  static Duration nonNegative(Duration d, String key) {
    requireNonNull(d, key);
    if (d.isNegative()) {
      throw new IllegalArgumentException(key + " must not be negative, was " + d);
    }
    return d;
  }

  static int positive(int value, String key) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
    return value;
  }
}
