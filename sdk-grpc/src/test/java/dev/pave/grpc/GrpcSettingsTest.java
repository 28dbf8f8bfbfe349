package dev.pave.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.config.Config;
import dev.pave.config.ConfigException;
import dev.pave.grpc.internal.ServiceConfigs;
import io.grpc.Status;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Settings bound from configuration keys, their defaults and their errors. */
class GrpcSettingsTest {

  private static Config config(Map<String, String> values) {
    var builder = Config.builder().environment(Map.of()).systemProperties(Map.of());
    values.forEach(builder::override);
    return builder.build();
  }

  @Test
  void misspelledServerVariable_isRefusedWithASuggestion() {
    Config config = Config.builder().environment(Map.of("GRPC_SERVER_ACESS_LOG_LEVEL", "OFF"))
        .systemProperties(Map.of()).build();
    assertThatThrownBy(() -> GrpcServerSettings.from(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GRPC_SERVER_ACESS_LOG_LEVEL")
        .hasMessageContaining("did you mean grpc.server.access-log.level");
  }

  @Test
  void serverDefaults_whenNothingIsConfigured() {
    GrpcServerSettings s = GrpcServerSettings.from(config(Map.of()));

    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.host()).isEqualTo("0.0.0.0");
    assertThat(s.defaultDeadline()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxInboundMessageSize()).isEqualTo(4 * 1024 * 1024);
    assertThat(s.maxConcurrentCalls()).isEmpty();
    assertThat(s.reflectionEnabled()).isTrue();
    assertThat(s.accessLogLevel()).isEqualTo("INFO");
    assertThat(s.accessLogMethodLevels())
        .containsEntry("grpc.health.v1.Health", "OFF")
        .containsEntry("grpc.reflection.v1.ServerReflection", "OFF");
    assertThat(s.maxConnectionAge()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void serverKeys_areBound() {
    GrpcServerSettings s =
        GrpcServerSettings.from(
            config(
                Map.ofEntries(
                    Map.entry("grpc.port", "9090"),
                    Map.entry("grpc.server.host", "127.0.0.1"),
                    Map.entry("grpc.server.default-deadline", "2s"),
                    Map.entry("grpc.server.max-inbound-message-size", "1MiB"),
                    Map.entry("grpc.server.max-concurrent-calls", "200"),
                    Map.entry("grpc.server.keepalive.permit-time", "10s"),
                    Map.entry("grpc.server.max-connection-age", "5m"),
                    Map.entry("grpc.server.max-connection-age-grace", "15s"),
                    Map.entry("grpc.server.reflection.enabled", "false"),
                    Map.entry("grpc.server.access-log.level", "debug"),
                    Map.entry("grpc.server.access-log.methods.grpc.health.v1.Health", "INFO"),
                    Map.entry("grpc.server.access-log.methods.shop.Payments/Ping", "OFF"))));

    assertThat(s.port()).isEqualTo(9090);
    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.defaultDeadline()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.maxInboundMessageSize()).isEqualTo(1024 * 1024);
    assertThat(s.maxConcurrentCalls()).contains(200);
    assertThat(s.permitKeepAliveTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.maxConnectionAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.maxConnectionAgeGrace()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.reflectionEnabled()).isFalse();
    assertThat(s.accessLogLevel()).isEqualTo("DEBUG");
    assertThat(s.accessLogMethodLevels())
        .containsEntry("grpc.health.v1.Health", "INFO")
        .containsEntry("shop.Payments/Ping", "OFF");
  }

  @Test
  void malformedAndUnknownServerKeys_areAllReportedByName() {
    assertThatThrownBy(
            () ->
                GrpcServerSettings.from(
                    config(
                        Map.of(
                            "grpc.server.default-deadline", "soon",
                            "grpc.server.max-concurent-calls", "10"))))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigException.Problem::key)
                    .contains("grpc.server.default-deadline", "grpc.server.max-concurent-calls"));
  }

  @Test
  void everyOutOfRangeValue_isReportedAtOnce_withItsSource() {
    // Issue 11: each module reports all problems at once; the gRPC builders' range checks stopped at the first.
    Config config = Config.builder()
        .environment(Map.of("GRPC_SERVER_MAX_CONCURRENT_STREAMS", "0", "GRPC_PORT", "70000"))
        .systemProperties(Map.of("grpc.server.access-log.level", "LOUD"))
        .build();
    assertThatThrownBy(() -> GrpcServerSettings.from(config))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .extracting(p -> p.key() + " [" + p.source() + "]")
            .containsExactlyInAnyOrder("grpc.port [env GRPC_PORT]",
                "grpc.server.max-concurrent-streams [env GRPC_SERVER_MAX_CONCURRENT_STREAMS]",
                "grpc.server.access-log.level [system property grpc.server.access-log.level]"));
    Config client = Config.builder()
        .environment(Map.of("GRPC_CLIENTS_PAY_TARGET", "pay:1", "GRPC_CLIENTS_PAY_RETRY_MAX_ATTEMPTS", "0",
            "GRPC_CLIENTS_PAY_CIRCUIT_BREAKER_FAILURE_RATE_THRESHOLD", "300"))
        .build();
    assertThatThrownBy(() -> GrpcClientSettings.from(client, "pay"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .extracting(ConfigException.Problem::key)
            .containsExactlyInAnyOrder("grpc.clients.pay.retry.max-attempts",
                "grpc.clients.pay.circuit-breaker.failure-rate-threshold"));
  }

  @Test
  void aClientWithoutTarget_failsNamingTheKeyAndItsVariable() {
    assertThatThrownBy(() -> GrpcClientSettings.from(Config.builder().build(), "pay"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("grpc.clients.pay.target [not set]")
        .hasMessageContaining("GRPC_CLIENTS_PAY_TARGET");
  }

  @Test
  void outOfRangeValues_nameTheKey() {
    assertThatThrownBy(() -> GrpcServerSettings.from(config(Map.of("grpc.port", "70000"))))
        .hasMessageContaining("grpc.port")
        .hasMessageContaining("70000");
    assertThatThrownBy(
            () -> GrpcServerSettings.from(config(Map.of("grpc.server.access-log.level", "LOUD"))))
        .hasMessageContaining("grpc.server.access-log.level")
        .hasMessageContaining("LOUD");
  }

  @Test
  void clientKeys_areBoundWithDefaults() {
    GrpcClientSettings c =
        GrpcClientSettings.from(
            config(
                Map.of(
                    "grpc.clients.payments.target", "dns:///payments.shop.svc:8080",
                    "grpc.clients.payments.default-deadline", "750ms",
                    "grpc.clients.payments.retry.max-attempts", "4",
                    "grpc.clients.payments.retry.methods.shop.Payments/Get", "UNAVAILABLE, ABORTED",
                    "grpc.clients.payments.circuit-breaker.failure-rate-threshold", "25")),
            "payments");

    assertThat(c.name()).isEqualTo("payments");
    assertThat(c.target()).isEqualTo("dns:///payments.shop.svc:8080");
    assertThat(c.loadBalancingPolicy()).isEqualTo("round_robin");
    assertThat(c.defaultDeadline()).isEqualTo(Duration.ofMillis(750));
    assertThat(c.retryMaxAttempts()).isEqualTo(4);
    assertThat(c.retryStatusCodes()).containsExactly(Status.Code.UNAVAILABLE);
    assertThat(c.retryMethodStatusCodes())
        .containsEntry("shop.Payments/Get", Set.of(Status.Code.UNAVAILABLE, Status.Code.ABORTED));
    assertThat(c.breakerEnabled()).isTrue();
    assertThat(c.breakerFailureRateThreshold()).isEqualTo(25f);
    assertThat(c.breakerMinimumNumberOfCalls()).isEqualTo(20);
  }

  @Test
  void aTargetGrpcCannotParse_failsNamingTheKey_goodOnesPass() {
    // Adoption report 15: 'not a uri ::' failed at channel build with no key named.
    assertThatThrownBy(() -> GrpcClientSettings.builder("pricing", "not a uri ::"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("grpc.clients.pricing.target must be a gRPC target such as dns:///host:port"
            + " or host:port, was 'not a uri ::'");
    for (String target : new String[] {"dns:///payments.shop.svc:8080", "payments:8080", "127.0.0.1:50051",
        "localhost:8080", "dns:///127.0.0.1:50051", "unix:/var/run/pave.sock", "[::1]:8080"}) {
      assertThat(GrpcClientSettings.builder("ok", target).build().target()).isEqualTo(target);
    }
  }

  @Test
  void aClientWithoutTarget_failsNamingTheKey() {
    assertThatThrownBy(() -> GrpcClientSettings.from(config(Map.of()), "fraud"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigException.Problem::key)
                    .containsExactly("grpc.clients.fraud.target"));
  }

  @Test
  void aBadStatusCode_failsNamingTheKeyAndTheValue() {
    assertThatThrownBy(
            () ->
                GrpcClientSettings.from(
                    config(
                        Map.of(
                            "grpc.clients.fraud.target", "dns:///fraud:8080",
                            "grpc.clients.fraud.retry.status-codes", "UNAVAILABLE,SOMETIMES")),
                    "fraud"))
        .hasMessageContaining("grpc.clients.fraud.retry.status-codes")
        .hasMessageContaining("SOMETIMES");
    assertThatThrownBy(
            () ->
                GrpcClientSettings.builder("fraud", "dns:///fraud:8080")
                    .retryInitialBackoff(Duration.ofSeconds(5))
                    .retryMaxBackoff(Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("grpc.clients.fraud.retry.max-backoff")
        .hasMessageContaining("grpc.clients.fraud.retry.initial-backoff");
  }

  @Test
  void theServiceConfigRetriesOnlyUnavailableByDefault_withPerMethodOptIn() {
    GrpcClientSettings c =
        GrpcClientSettings.builder("p", "dns:///p:8080")
            .retryMethodStatusCodes("shop.Payments/Get", Set.of(Status.Code.ABORTED))
            .build();

    Map<String, Object> serviceConfig = ServiceConfigs.of(c);

    assertThat(serviceConfig.get("loadBalancingConfig"))
        .isEqualTo(List.of(Map.of("round_robin", Map.of())));
    assertThat(serviceConfig.get("methodConfig"))
        .isEqualTo(
            List.of(
                Map.of(
                    "name", List.of(Map.of("service", "shop.Payments", "method", "Get")),
                    "retryPolicy",
                        Map.of(
                            "maxAttempts", 3.0,
                            "initialBackoff", "0.1s",
                            "maxBackoff", "2s",
                            "backoffMultiplier", 2.0,
                            "retryableStatusCodes", List.of("ABORTED"))),
                Map.of(
                    "name", List.of(Map.of()),
                    "retryPolicy",
                        Map.of(
                            "maxAttempts", 3.0,
                            "initialBackoff", "0.1s",
                            "maxBackoff", "2s",
                            "backoffMultiplier", 2.0,
                            "retryableStatusCodes", List.of("UNAVAILABLE")))));
  }

  /** The three ways a Deployment sets a key, each alone, with no application.yaml otherwise. */
  enum Source { ENVIRONMENT, SYSTEM_PROPERTY, YAML }

  private static Config only(Source source, Path dir, Map<String, String> keys) throws Exception {
    var builder = Config.builder()
        .environment(Map.of())
        .systemProperties(Map.of())
        .classLoader(new URLClassLoader(new URL[0], null))
        .configDirectory(dir)
        .secretsDirectory(dir.resolve("no-secrets"))
        .localSecretsFile(dir.resolve("no-secrets.age"));
    switch (source) {
      case ENVIRONMENT -> {
        var env = new HashMap<String, String>();
        keys.forEach((k, v) -> env.put(k.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"), v));
        builder.environment(env);
      }
      case SYSTEM_PROPERTY -> builder.systemProperties(keys);
      case YAML -> {
        // Flat dotted keys are valid YAML mappings for Pave's loader (docs/config.md).
        var yaml = new StringBuilder();
        keys.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(dir.resolve("application.yaml"), yaml);
      }
    }
    return builder.build();
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void everyOptionalServerSection_appliesFromEverySource(
      Source source, @TempDir Path dir) throws Exception {
    GrpcServerSettings s = GrpcServerSettings.from(only(source, dir, Map.of(
        "grpc.server.access-log.level", "OFF",
        "grpc.server.reflection.enabled", "false",
        "grpc.server.keepalive.time", "1m")));

    assertThat(s.accessLogLevel()).isEqualTo("OFF");
    assertThat(s.reflectionEnabled()).isFalse();
    assertThat(s.keepAliveTime()).isEqualTo(Duration.ofMinutes(1));
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void aClientsRetryAndBreakerSections_applyFromEverySource(
      Source source, @TempDir Path dir) throws Exception {
    GrpcClientSettings c = GrpcClientSettings.from(only(source, dir, Map.of(
        "grpc.clients.payments.target", "dns:///payments:8080",
        "grpc.clients.payments.retry.max-attempts", "1",
        "grpc.clients.payments.circuit-breaker.enabled", "false",
        "grpc.clients.payments.keepalive.time", "2m")), "payments");

    assertThat(c.retryMaxAttempts()).isEqualTo(1);
    assertThat(c.breakerEnabled()).isFalse();
    assertThat(c.keepAliveTime()).isEqualTo(Duration.ofMinutes(2));
  }
}
