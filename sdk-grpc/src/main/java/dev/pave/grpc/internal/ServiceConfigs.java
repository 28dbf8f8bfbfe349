package dev.pave.grpc.internal;

import dev.pave.grpc.GrpcClientSettings;
import io.grpc.Status;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the gRPC service config (the JSON-shaped map of {@code ManagedChannelBuilder
 * .defaultServiceConfig}) of a client: load-balancing policy and retry policy.
 *
 * <p>Retries are gRPC's own: they happen below the interceptors inside one call, so they never
 * outlive the call's deadline, pick another backend under round_robin, back off exponentially
 * with full jitter (each backoff is random in [0, min(initial * multiplier^n, max)]), and are
 * throttled by grpc-java's buffer limits.
 */
public final class ServiceConfigs {

  private ServiceConfigs() {}

  /** Returns the service config of {@code settings}. */
  public static Map<String, Object> of(GrpcClientSettings settings) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("loadBalancingConfig", List.of(Map.of(settings.loadBalancingPolicy(), Map.of())));
    List<Object> methodConfigs = new ArrayList<>();
    if (settings.retryMaxAttempts() > 1) {
      // Most specific first; grpc-java matches method, then service, then the default ({}).
      settings
          .retryMethodStatusCodes()
          .forEach(
              (name, codes) -> {
                int slash = name.indexOf('/');
                Map<String, Object> selector =
                    slash < 0
                        ? Map.of("service", name)
                        : Map.of(
                            "service", name.substring(0, slash),
                            "method", name.substring(slash + 1));
                methodConfigs.add(methodConfig(selector, settings, codes));
              });
      methodConfigs.add(methodConfig(Map.of(), settings, settings.retryStatusCodes()));
    }
    if (!methodConfigs.isEmpty()) {
      config.put("methodConfig", methodConfigs);
    }
    return config;
  }

  private static Map<String, Object> methodConfig(
      Map<String, Object> selector, GrpcClientSettings settings, Set<Status.Code> codes) {
    Map<String, Object> methodConfig = new LinkedHashMap<>();
    methodConfig.put("name", List.of(selector));
    if (!codes.isEmpty()) {
      Map<String, Object> retry = new LinkedHashMap<>();
      retry.put("maxAttempts", (double) settings.retryMaxAttempts());
      retry.put("initialBackoff", seconds(settings.retryInitialBackoff()));
      retry.put("maxBackoff", seconds(settings.retryMaxBackoff()));
      retry.put("backoffMultiplier", settings.retryBackoffMultiplier());
      retry.put("retryableStatusCodes", codes.stream().map(Status.Code::name).sorted().toList());
      methodConfig.put("retryPolicy", retry);
    }
    return methodConfig;
  }

  private static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
  }
}
