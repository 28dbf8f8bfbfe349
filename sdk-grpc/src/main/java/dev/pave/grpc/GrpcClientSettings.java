package dev.pave.grpc;

import static dev.pave.grpc.GrpcServerSettings.nonNegative;
import static dev.pave.grpc.GrpcServerSettings.positive;
import static java.util.Objects.requireNonNull;

import dev.pave.config.Config;
import dev.pave.grpc.internal.GrpcConfig;
import io.grpc.Status;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable settings of one client channel, bound from {@code grpc.clients.<name>.*} by
 * {@link PaveGrpc#channel(String)}, or built with {@link #builder(String, String)}.
 *
 * <p>Retries use gRPC's own service-config retry (transparent to stubs, bounded by the call's
 * deadline); the circuit breaker is Resilience4j's, one per channel.
 */
public final class GrpcClientSettings {

  private static final GrpcConfig.ClientKeys D = GrpcConfig.CLIENT_DEFAULTS;

  /** Default load-balancing policy, key {@code load-balancing-policy}. */
  public static final String DEFAULT_LOAD_BALANCING_POLICY = D.loadBalancingPolicy();
  /** Default deadline of a call that sets none, key {@code default-deadline}. */
  public static final Duration DEFAULT_DEADLINE = D.defaultDeadline();
  /** Default maximum inbound message size (4 MiB), key {@code max-inbound-message-size}. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE =
      GrpcConfig.bytes(D.maxInboundMessageSize(), "grpc.clients.<name>.max-inbound-message-size");
  /** Default keepalive ping interval, key {@code keepalive.time}. */
  public static final Duration DEFAULT_KEEPALIVE_TIME = D.keepalive().time();
  /** Default keepalive ack timeout, key {@code keepalive.timeout}. */
  public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = D.keepalive().timeout();
  /** Default for pings without calls, key {@code keepalive.without-calls}. */
  public static final boolean DEFAULT_KEEPALIVE_WITHOUT_CALLS = D.keepalive().withoutCalls();
  /** Default attempts per call including the first, key {@code retry.max-attempts}. */
  public static final int DEFAULT_RETRY_MAX_ATTEMPTS = D.retry().maxAttempts();
  /** Default first backoff, key {@code retry.initial-backoff}. */
  public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = D.retry().initialBackoff();
  /** Default backoff cap, key {@code retry.max-backoff}. */
  public static final Duration DEFAULT_RETRY_MAX_BACKOFF = D.retry().maxBackoff();
  /** Default backoff growth per attempt, key {@code retry.backoff-multiplier}. */
  public static final double DEFAULT_RETRY_BACKOFF_MULTIPLIER = D.retry().backoffMultiplier();
  /** Default retryable codes for every method, key {@code retry.status-codes}. */
  public static final Set<Status.Code> DEFAULT_RETRY_STATUS_CODES =
      Set.copyOf(GrpcConfig.codes(D.retry().statusCodes(), "grpc.clients.<name>.retry.status-codes"));
  /** Default for the circuit breaker, key {@code circuit-breaker.enabled}. */
  public static final boolean DEFAULT_BREAKER_ENABLED = D.circuitBreaker().enabled();
  /** Default failure rate (percent) that opens the breaker, key {@code circuit-breaker.failure-rate-threshold}. */
  public static final float DEFAULT_BREAKER_FAILURE_RATE_THRESHOLD = (float) D.circuitBreaker().failureRateThreshold();
  /** Default number of calls before the rate is computed, key {@code circuit-breaker.minimum-number-of-calls}. */
  public static final int DEFAULT_BREAKER_MINIMUM_NUMBER_OF_CALLS = D.circuitBreaker().minimumNumberOfCalls();
  /** Default count-based sliding window, key {@code circuit-breaker.sliding-window-size}. */
  public static final int DEFAULT_BREAKER_SLIDING_WINDOW_SIZE = D.circuitBreaker().slidingWindowSize();
  /** Default time the breaker stays open, key {@code circuit-breaker.wait-duration-in-open-state}. */
  public static final Duration DEFAULT_BREAKER_WAIT_IN_OPEN_STATE = D.circuitBreaker().waitDurationInOpenState();
  /** Default trial calls when half-open, key {@code circuit-breaker.permitted-calls-in-half-open-state}. */
  public static final int DEFAULT_BREAKER_PERMITTED_CALLS_IN_HALF_OPEN_STATE =
      D.circuitBreaker().permittedCallsInHalfOpenState();
  /**
   * Codes counted as failures by the breaker: the server or the network is in trouble. Other codes
   * (e.g. {@code INVALID_ARGUMENT}, {@code NOT_FOUND}) are answers, counted as successes; calls the
   * caller cancelled are not counted.
   */
  public static final Set<Status.Code> BREAKER_FAILURE_CODES =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.INTERNAL,
          Status.Code.UNKNOWN,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.DATA_LOSS);

  private final String name;
  private final String target;
  private final String loadBalancingPolicy;
  private final Duration defaultDeadline;
  private final int maxInboundMessageSize;
  private final Duration keepAliveTime;
  private final Duration keepAliveTimeout;
  private final boolean keepAliveWithoutCalls;
  private final int retryMaxAttempts;
  private final Duration retryInitialBackoff;
  private final Duration retryMaxBackoff;
  private final double retryBackoffMultiplier;
  private final Set<Status.Code> retryStatusCodes;
  private final Map<String, Set<Status.Code>> retryMethodStatusCodes;
  private final boolean breakerEnabled;
  private final float breakerFailureRateThreshold;
  private final int breakerMinimumNumberOfCalls;
  private final int breakerSlidingWindowSize;
  private final Duration breakerWaitInOpenState;
  private final int breakerPermittedCallsInHalfOpenState;
  private final GrpcTls tls;

  private GrpcClientSettings(Builder b) {
    name = b.name;
    target = b.target;
    loadBalancingPolicy = b.loadBalancingPolicy;
    defaultDeadline = b.defaultDeadline;
    maxInboundMessageSize = b.maxInboundMessageSize;
    keepAliveTime = b.keepAliveTime;
    keepAliveTimeout = b.keepAliveTimeout;
    keepAliveWithoutCalls = b.keepAliveWithoutCalls;
    retryMaxAttempts = b.retryMaxAttempts;
    retryInitialBackoff = b.retryInitialBackoff;
    retryMaxBackoff = b.retryMaxBackoff;
    retryBackoffMultiplier = b.retryBackoffMultiplier;
    retryStatusCodes = Set.copyOf(b.retryStatusCodes);
    Map<String, Set<Status.Code>> perMethod = new LinkedHashMap<>();
    b.retryMethodStatusCodes.forEach((k, v) -> perMethod.put(k, Set.copyOf(v)));
    retryMethodStatusCodes = Map.copyOf(perMethod);
    breakerEnabled = b.breakerEnabled;
    breakerFailureRateThreshold = b.breakerFailureRateThreshold;
    breakerMinimumNumberOfCalls = b.breakerMinimumNumberOfCalls;
    breakerSlidingWindowSize = b.breakerSlidingWindowSize;
    breakerWaitInOpenState = b.breakerWaitInOpenState;
    breakerPermittedCallsInHalfOpenState = b.breakerPermittedCallsInHalfOpenState;
    tls = b.tls;
  }

  /**
   * Returns a builder for the channel {@code name} (the logical name, e.g. {@code "payments"})
   * to {@code target}, a gRPC target URI such as {@code dns:///payments.shop.svc:8080}.
   */
  public static Builder builder(String name, String target) {
    return new Builder(name, target);
  }

  /**
   * Reads {@code grpc.clients.<name>.*}; {@code target} is required, other keys take their
   * defaults.
   *
   * @throws dev.pave.config.ConfigException listing every missing, malformed or unknown key
   * @throws IllegalArgumentException naming the key whose value is out of range
   */
  public static GrpcClientSettings from(Config config, String name) {
    return GrpcConfig.client(requireNonNull(config, "config"), name);
  }

  /** Logical name of the channel ({@code grpc.clients.<name>}). */
  public String name() {
    return name;
  }

  /** gRPC target URI. */
  public String target() {
    return target;
  }

  /** Load-balancing policy ({@code round_robin} or {@code pick_first}). */
  public String loadBalancingPolicy() {
    return loadBalancingPolicy;
  }

  /** Deadline given to calls that set none (a shorter deadline inherited from the context wins). */
  public Duration defaultDeadline() {
    return defaultDeadline;
  }

  /** Largest inbound message in bytes. */
  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  /** Keepalive ping interval. */
  public Duration keepAliveTime() {
    return keepAliveTime;
  }

  /** Keepalive ack timeout. */
  public Duration keepAliveTimeout() {
    return keepAliveTimeout;
  }

  /** Whether keepalive pings are sent without calls in flight. */
  public boolean keepAliveWithoutCalls() {
    return keepAliveWithoutCalls;
  }

  /** Attempts per call including the first; 1 disables retries. */
  public int retryMaxAttempts() {
    return retryMaxAttempts;
  }

  /** First backoff before a retry (gRPC randomises each backoff in [0, computed]). */
  public Duration retryInitialBackoff() {
    return retryInitialBackoff;
  }

  /** Backoff cap. */
  public Duration retryMaxBackoff() {
    return retryMaxBackoff;
  }

  /** Backoff growth per attempt. */
  public double retryBackoffMultiplier() {
    return retryBackoffMultiplier;
  }

  /** Codes retried for every method. */
  public Set<Status.Code> retryStatusCodes() {
    return retryStatusCodes;
  }

  /**
   * Codes retried per full method name ({@code pkg.Service/Method}) or service
   * ({@code pkg.Service}), replacing {@link #retryStatusCodes()} for it: the opt-in for
   * idempotent methods.
   */
  public Map<String, Set<Status.Code>> retryMethodStatusCodes() {
    return retryMethodStatusCodes;
  }

  /** Whether the circuit breaker is on. */
  public boolean breakerEnabled() {
    return breakerEnabled;
  }

  /** Failure rate in percent (0, 100] that opens the breaker. */
  public float breakerFailureRateThreshold() {
    return breakerFailureRateThreshold;
  }

  /** Calls in the window before the failure rate is computed. */
  public int breakerMinimumNumberOfCalls() {
    return breakerMinimumNumberOfCalls;
  }

  /** Size of the count-based sliding window. */
  public int breakerSlidingWindowSize() {
    return breakerSlidingWindowSize;
  }

  /** Time the breaker stays open before letting trial calls through. */
  public Duration breakerWaitInOpenState() {
    return breakerWaitInOpenState;
  }

  /** Trial calls let through when half-open. */
  public int breakerPermittedCallsInHalfOpenState() {
    return breakerPermittedCallsInHalfOpenState;
  }

  /** TLS ({@code grpc.clients.<name>.tls.*}); empty for plaintext, the default. */
  public Optional<GrpcTls> tls() {
    return Optional.ofNullable(tls);
  }

  /** Value equality: every setting, so that {@link GrpcChannels} can tell a conflicting request. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GrpcClientSettings)) {
      return false;
    }
    GrpcClientSettings that = (GrpcClientSettings) o;
    return name.equals(that.name)
        && target.equals(that.target)
        && loadBalancingPolicy.equals(that.loadBalancingPolicy)
        && defaultDeadline.equals(that.defaultDeadline)
        && maxInboundMessageSize == that.maxInboundMessageSize
        && keepAliveTime.equals(that.keepAliveTime)
        && keepAliveTimeout.equals(that.keepAliveTimeout)
        && keepAliveWithoutCalls == that.keepAliveWithoutCalls
        && retryMaxAttempts == that.retryMaxAttempts
        && retryInitialBackoff.equals(that.retryInitialBackoff)
        && retryMaxBackoff.equals(that.retryMaxBackoff)
        && Double.compare(retryBackoffMultiplier, that.retryBackoffMultiplier) == 0
        && retryStatusCodes.equals(that.retryStatusCodes)
        && retryMethodStatusCodes.equals(that.retryMethodStatusCodes)
        && breakerEnabled == that.breakerEnabled
        && Float.compare(breakerFailureRateThreshold, that.breakerFailureRateThreshold) == 0
        && breakerMinimumNumberOfCalls == that.breakerMinimumNumberOfCalls
        && breakerSlidingWindowSize == that.breakerSlidingWindowSize
        && Objects.equals(tls, that.tls)
        && breakerWaitInOpenState.equals(that.breakerWaitInOpenState)
        && breakerPermittedCallsInHalfOpenState == that.breakerPermittedCallsInHalfOpenState;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, target, loadBalancingPolicy, defaultDeadline, retryMaxAttempts,
        retryStatusCodes, breakerEnabled);
  }

  @Override
  public String toString() {
    return "GrpcClientSettings{name=" + name + ", target=" + target + ", loadBalancingPolicy="
        + loadBalancingPolicy + ", defaultDeadline=" + defaultDeadline + ", retryMaxAttempts="
        + retryMaxAttempts + ", retryStatusCodes=" + retryStatusCodes + ", breakerEnabled="
        + breakerEnabled + ", tls=" + (tls == null ? "off (plaintext)" : tls) + "}";
  }

  /** Builder of {@link GrpcClientSettings}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String target;
    private String loadBalancingPolicy = DEFAULT_LOAD_BALANCING_POLICY;
    private Duration defaultDeadline = DEFAULT_DEADLINE;
    private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private Duration keepAliveTime = DEFAULT_KEEPALIVE_TIME;
    private Duration keepAliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;
    private boolean keepAliveWithoutCalls = DEFAULT_KEEPALIVE_WITHOUT_CALLS;
    private int retryMaxAttempts = DEFAULT_RETRY_MAX_ATTEMPTS;
    private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;
    private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;
    private double retryBackoffMultiplier = DEFAULT_RETRY_BACKOFF_MULTIPLIER;
    private Set<Status.Code> retryStatusCodes = EnumSet.copyOf(DEFAULT_RETRY_STATUS_CODES);
    private final Map<String, Set<Status.Code>> retryMethodStatusCodes = new LinkedHashMap<>();
    private boolean breakerEnabled = DEFAULT_BREAKER_ENABLED;
    private float breakerFailureRateThreshold = DEFAULT_BREAKER_FAILURE_RATE_THRESHOLD;
    private int breakerMinimumNumberOfCalls = DEFAULT_BREAKER_MINIMUM_NUMBER_OF_CALLS;
    private int breakerSlidingWindowSize = DEFAULT_BREAKER_SLIDING_WINDOW_SIZE;
    private Duration breakerWaitInOpenState = DEFAULT_BREAKER_WAIT_IN_OPEN_STATE;
    private GrpcTls tls;
    private int breakerPermittedCallsInHalfOpenState =
        DEFAULT_BREAKER_PERMITTED_CALLS_IN_HALF_OPEN_STATE;

    private Builder(String name, String target) {
      this.name = requireNonNull(name, "name");
      requireNonNull(target, "grpc.clients." + name + ".target");
      if (name.isBlank()) {
        throw new IllegalArgumentException("client name must not be blank");
      }
      if (target.isBlank()) {
        throw new IllegalArgumentException(
            "grpc.clients." + name + ".target must be a gRPC target such as"
                + " dns:///host:port, was blank");
      }
      checkTarget("grpc.clients." + name + ".target", target);
      this.target = target;
    }

    /**
     * Refuses, naming the key, a target grpc-java would fail on only when the channel is built
     * (adoption report 15: "Illegal character in authority at index 2", no key). As grpc-java
     * reads it: a URI with a scheme ({@code dns:///host:port}, {@code unix:/path}), else a
     * {@code host:port} authority resolved with {@code dns}.
     */
    private static void checkTarget(String key, String target) {
      try {
        java.net.URI uri = new java.net.URI(target);
        if (uri.getScheme() != null && (target.contains("://") || uri.getScheme().startsWith("unix"))) {
          return;
        }
      } catch (java.net.URISyntaxException notAUri) {
        // maybe host:port, below
      }
      String problem;
      try {
        java.net.URI authority = new java.net.URI("//" + target);
        if (authority.getHost() != null) {
          return;
        }
        problem = "no host in it";
      } catch (java.net.URISyntaxException e) {
        problem = e.getReason();
      }
      throw new IllegalArgumentException(key + " must be a gRPC target such as dns:///host:port"
          + " or host:port, was '" + target + "' (" + problem + ")");
    }

    private String key(String suffix) {
      return "grpc.clients." + name + "." + suffix;
    }

    /**
     * Calls the server over TLS as {@code tls} says (a directory of {@code ca.crt} and, for mutual
     * TLS, the client's {@code tls.crt} and {@code tls.key}; or {@link GrpcTls#systemTrust()});
     * default none (plaintext). The server's host name is verified against its certificate.
     */
    public Builder tls(GrpcTls tls) {
      this.tls = java.util.Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** {@code round_robin} (default) or {@code pick_first}. */
    public Builder loadBalancingPolicy(String policy) {
      requireNonNull(policy, key("load-balancing-policy"));
      if (!policy.equals("round_robin") && !policy.equals("pick_first")) {
        throw new IllegalArgumentException(
            key("load-balancing-policy") + " must be round_robin or pick_first, was '" + policy
                + "'");
      }
      this.loadBalancingPolicy = policy;
      return this;
    }

    /** Deadline for calls that set none; default {@link GrpcClientSettings#DEFAULT_DEADLINE}. */
    public Builder defaultDeadline(Duration deadline) {
      this.defaultDeadline = positive(deadline, key("default-deadline"));
      return this;
    }

    /** Largest inbound message in bytes; default {@link GrpcClientSettings#DEFAULT_MAX_INBOUND_MESSAGE_SIZE}. */
    public Builder maxInboundMessageSize(int bytes) {
      this.maxInboundMessageSize = positive(bytes, key("max-inbound-message-size"));
      return this;
    }

    /** Keepalive ping interval; default {@link GrpcClientSettings#DEFAULT_KEEPALIVE_TIME} (the server tolerates 20s and above by default). */
    public Builder keepAliveTime(Duration time) {
      this.keepAliveTime = positive(time, key("keepalive.time"));
      return this;
    }

    /** Keepalive ack timeout; default {@link GrpcClientSettings#DEFAULT_KEEPALIVE_TIMEOUT}. */
    public Builder keepAliveTimeout(Duration timeout) {
      this.keepAliveTimeout = positive(timeout, key("keepalive.timeout"));
      return this;
    }

    /** Whether to ping without calls in flight; default {@link GrpcClientSettings#DEFAULT_KEEPALIVE_WITHOUT_CALLS}. */
    public Builder keepAliveWithoutCalls(boolean withoutCalls) {
      this.keepAliveWithoutCalls = withoutCalls;
      return this;
    }

    /** Attempts per call including the first, in [1, 10]; default {@link GrpcClientSettings#DEFAULT_RETRY_MAX_ATTEMPTS}; 1 turns retries off. */
    public Builder retryMaxAttempts(int attempts) {
      if (attempts < 1 || attempts > 10) {
        throw new IllegalArgumentException(
            key("retry.max-attempts") + " must be in [1, 10], was " + attempts);
      }
      this.retryMaxAttempts = attempts;
      return this;
    }

    /** First backoff; default {@link GrpcClientSettings#DEFAULT_RETRY_INITIAL_BACKOFF}. */
    public Builder retryInitialBackoff(Duration backoff) {
      this.retryInitialBackoff = positive(backoff, key("retry.initial-backoff"));
      return this;
    }

    /** Backoff cap; default {@link GrpcClientSettings#DEFAULT_RETRY_MAX_BACKOFF}. */
    public Builder retryMaxBackoff(Duration backoff) {
      this.retryMaxBackoff = positive(backoff, key("retry.max-backoff"));
      return this;
    }

    /** Backoff growth per attempt, &gt; 0; default {@link GrpcClientSettings#DEFAULT_RETRY_BACKOFF_MULTIPLIER}. */
    public Builder retryBackoffMultiplier(double multiplier) {
      if (!(multiplier > 0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException(
            key("retry.backoff-multiplier") + " must be a positive number, was " + multiplier);
      }
      this.retryBackoffMultiplier = multiplier;
      return this;
    }

    /** Codes retried for every method; default {@code UNAVAILABLE} only. Must not contain OK. */
    public Builder retryStatusCodes(Set<Status.Code> codes) {
      this.retryStatusCodes = codes(codes, key("retry.status-codes"));
      return this;
    }

    /**
     * Codes retried for one method ({@code pkg.Service/Method}) or service, replacing the
     * channel-wide set for it: opt an idempotent method into retrying e.g. {@code ABORTED}.
     */
    public Builder retryMethodStatusCodes(String methodOrService, Set<Status.Code> codes) {
      requireNonNull(methodOrService, "methodOrService");
      retryMethodStatusCodes.put(
          methodOrService, codes(codes, key("retry.methods." + methodOrService)));
      return this;
    }

    /** Whether the circuit breaker is on; default {@link GrpcClientSettings#DEFAULT_BREAKER_ENABLED}. */
    public Builder breakerEnabled(boolean enabled) {
      this.breakerEnabled = enabled;
      return this;
    }

    /** Failure rate in percent, (0, 100]; default {@link GrpcClientSettings#DEFAULT_BREAKER_FAILURE_RATE_THRESHOLD}. */
    public Builder breakerFailureRateThreshold(float percent) {
      if (!(percent > 0 && percent <= 100)) {
        throw new IllegalArgumentException(
            key("circuit-breaker.failure-rate-threshold") + " must be in (0, 100], was "
                + percent);
      }
      this.breakerFailureRateThreshold = percent;
      return this;
    }

    /** Calls before the failure rate counts; default {@link GrpcClientSettings#DEFAULT_BREAKER_MINIMUM_NUMBER_OF_CALLS}. */
    public Builder breakerMinimumNumberOfCalls(int calls) {
      this.breakerMinimumNumberOfCalls =
          positive(calls, key("circuit-breaker.minimum-number-of-calls"));
      return this;
    }

    /** Count-based sliding window size; default {@link GrpcClientSettings#DEFAULT_BREAKER_SLIDING_WINDOW_SIZE}. */
    public Builder breakerSlidingWindowSize(int calls) {
      this.breakerSlidingWindowSize = positive(calls, key("circuit-breaker.sliding-window-size"));
      return this;
    }

    /** Time open before trial calls; default {@link GrpcClientSettings#DEFAULT_BREAKER_WAIT_IN_OPEN_STATE}. */
    public Builder breakerWaitInOpenState(Duration wait) {
      this.breakerWaitInOpenState =
          positive(wait, key("circuit-breaker.wait-duration-in-open-state"));
      return this;
    }

    /** Trial calls when half-open; default {@link GrpcClientSettings#DEFAULT_BREAKER_PERMITTED_CALLS_IN_HALF_OPEN_STATE}. */
    public Builder breakerPermittedCallsInHalfOpenState(int calls) {
      this.breakerPermittedCallsInHalfOpenState =
          positive(calls, key("circuit-breaker.permitted-calls-in-half-open-state"));
      return this;
    }

    /** Returns the immutable settings; fails if the retry backoffs conflict. */
    public GrpcClientSettings build() {
      if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
        throw new IllegalArgumentException(
            key("retry.max-backoff") + " (" + retryMaxBackoff + ") must not be smaller than "
                + key("retry.initial-backoff") + " (" + retryInitialBackoff + ")");
      }
      nonNegative(retryInitialBackoff, key("retry.initial-backoff"));
      return new GrpcClientSettings(this);
    }

    private static Set<Status.Code> codes(Set<Status.Code> codes, String key) {
      requireNonNull(codes, key);
      if (codes.contains(Status.Code.OK)) {
        throw new IllegalArgumentException(key + " must not contain OK");
      }
      return codes.isEmpty() ? EnumSet.noneOf(Status.Code.class) : EnumSet.copyOf(codes);
    }
  }
}
