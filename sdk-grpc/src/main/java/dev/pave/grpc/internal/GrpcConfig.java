package dev.pave.grpc.internal;

import dev.pave.config.Config;
import dev.pave.config.DataSize;
import dev.pave.grpc.GrpcClientSettings;
import dev.pave.grpc.GrpcServerSettings;
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
 * declared once here, as a record component; defaults live in the settings classes. Binding
 * reports every missing, malformed and unknown key at once ({@link Config#bind}).
 */
public final class GrpcConfig {

  private GrpcConfig() {}

  /** {@code grpc.server.*}. */
  public record ServerKeys(
      Optional<String> host,
      Optional<Duration> defaultDeadline,
      Optional<DataSize> maxInboundMessageSize,
      Optional<DataSize> maxInboundMetadataSize,
      Optional<Integer> maxConcurrentCalls,
      Optional<Integer> maxConcurrentStreams,
      Optional<RapidReset> rapidReset,
      Optional<ServerKeepAlive> keepalive,
      Optional<Duration> maxConnectionAge,
      Optional<Duration> maxConnectionAgeGrace,
      Optional<Reflection> reflection,
      Optional<AccessLog> accessLog) {}

  /** {@code grpc.server.keepalive.*}. */
  public record ServerKeepAlive(
      Optional<Duration> time,
      Optional<Duration> timeout,
      Optional<Duration> permitTime,
      Optional<Boolean> permitWithoutCalls) {}

  /** {@code grpc.server.rapid-reset.*}. */
  public record RapidReset(Optional<Integer> maxResets, Optional<Duration> window) {}

  /** {@code grpc.server.reflection.*}. */
  public record Reflection(Optional<Boolean> enabled) {}

  /** {@code grpc.server.access-log.*}. */
  public record AccessLog(Optional<String> level, Map<String, String> methods) {}

  /** {@code grpc.clients.<name>.*}. */
  public record ClientKeys(
      String target,
      Optional<String> loadBalancingPolicy,
      Optional<Duration> defaultDeadline,
      Optional<DataSize> maxInboundMessageSize,
      Optional<ClientKeepAlive> keepalive,
      Optional<Retry> retry,
      Optional<Breaker> circuitBreaker) {}

  /** {@code grpc.clients.<name>.keepalive.*}. */
  public record ClientKeepAlive(
      Optional<Duration> time, Optional<Duration> timeout, Optional<Boolean> withoutCalls) {}

  /** {@code grpc.clients.<name>.retry.*}; codes are comma-separated names. */
  public record Retry(
      Optional<Integer> maxAttempts,
      Optional<Duration> initialBackoff,
      Optional<Duration> maxBackoff,
      Optional<Double> backoffMultiplier,
      Optional<String> statusCodes,
      Map<String, String> methods) {}

  /** {@code grpc.clients.<name>.circuit-breaker.*}. */
  public record Breaker(
      Optional<Boolean> enabled,
      Optional<Double> failureRateThreshold,
      Optional<Integer> minimumNumberOfCalls,
      Optional<Integer> slidingWindowSize,
      Optional<Duration> waitDurationInOpenState,
      Optional<Integer> permittedCallsInHalfOpenState) {}

  /** Reads the server settings. */
  public static GrpcServerSettings server(Config config) {
    GrpcServerSettings.Builder b = GrpcServerSettings.builder();
    config.find("grpc.port", Integer.class).ifPresent(b::port);
    ServerKeys k = config.bind("grpc.server", ServerKeys.class);
    k.host().ifPresent(b::host);
    k.defaultDeadline().ifPresent(b::defaultDeadline);
    k.maxInboundMessageSize()
        .ifPresent(s -> b.maxInboundMessageSize(bytes(s, "grpc.server.max-inbound-message-size")));
    k.maxInboundMetadataSize()
        .ifPresent(
            s -> b.maxInboundMetadataSize(bytes(s, "grpc.server.max-inbound-metadata-size")));
    k.maxConcurrentCalls().ifPresent(b::maxConcurrentCalls);
    k.maxConcurrentStreams().ifPresent(b::maxConcurrentStreams);
    k.rapidReset().ifPresent(rr -> {
      rr.maxResets().ifPresent(b::rapidResetMaxResets);
      rr.window().ifPresent(b::rapidResetWindow);
    });
    k.keepalive()
        .ifPresent(
            ka -> {
              ka.time().ifPresent(b::keepAliveTime);
              ka.timeout().ifPresent(b::keepAliveTimeout);
              ka.permitTime().ifPresent(b::permitKeepAliveTime);
              ka.permitWithoutCalls().ifPresent(b::permitKeepAliveWithoutCalls);
            });
    k.maxConnectionAge().ifPresent(b::maxConnectionAge);
    k.maxConnectionAgeGrace().ifPresent(b::maxConnectionAgeGrace);
    k.reflection().flatMap(Reflection::enabled).ifPresent(b::reflectionEnabled);
    k.accessLog()
        .ifPresent(
            al -> {
              al.level().ifPresent(b::accessLogLevel);
              al.methods().forEach(b::accessLogMethodLevel);
            });
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
    GrpcClientSettings.Builder b = GrpcClientSettings.builder(name, k.target());
    k.loadBalancingPolicy().ifPresent(b::loadBalancingPolicy);
    k.defaultDeadline().ifPresent(b::defaultDeadline);
    k.maxInboundMessageSize()
        .ifPresent(s -> b.maxInboundMessageSize(bytes(s, prefix + ".max-inbound-message-size")));
    k.keepalive()
        .ifPresent(
            ka -> {
              ka.time().ifPresent(b::keepAliveTime);
              ka.timeout().ifPresent(b::keepAliveTimeout);
              ka.withoutCalls().ifPresent(b::keepAliveWithoutCalls);
            });
    k.retry()
        .ifPresent(
            r -> {
              r.maxAttempts().ifPresent(b::retryMaxAttempts);
              r.initialBackoff().ifPresent(b::retryInitialBackoff);
              r.maxBackoff().ifPresent(b::retryMaxBackoff);
              r.backoffMultiplier().ifPresent(b::retryBackoffMultiplier);
              r.statusCodes()
                  .ifPresent(c -> b.retryStatusCodes(codes(c, prefix + ".retry.status-codes")));
              r.methods()
                  .forEach(
                      (method, c) ->
                          b.retryMethodStatusCodes(
                              method, codes(c, prefix + ".retry.methods." + method)));
            });
    k.circuitBreaker()
        .ifPresent(
            cb -> {
              cb.enabled().ifPresent(b::breakerEnabled);
              cb.failureRateThreshold().ifPresent(t -> b.breakerFailureRateThreshold(t.floatValue()));
              cb.minimumNumberOfCalls().ifPresent(b::breakerMinimumNumberOfCalls);
              cb.slidingWindowSize().ifPresent(b::breakerSlidingWindowSize);
              cb.waitDurationInOpenState().ifPresent(b::breakerWaitInOpenState);
              cb.permittedCallsInHalfOpenState().ifPresent(b::breakerPermittedCallsInHalfOpenState);
            });
    return b.build();
  }

  private static int bytes(DataSize size, String key) {
    long bytes = size.toBytes();
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be below 2GiB, was " + size);
    }
    return (int) bytes;
  }

  /** Parses comma-separated status code names ("UNAVAILABLE, ABORTED"); blank means none. */
  static Set<Status.Code> codes(String text, String key) {
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
