package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Binding looks every declared key up in every source: a nested or {@code Optional} section set
 * only by an environment variable or a system property is bound, whatever other sources define
 * (issue 11, adoption report defect 1). The records mirror sdk-grpc's server and client sections.
 */
class DirectLookupTest {

  record KeepAlive(Optional<Duration> time, Optional<Duration> permitTime) {}

  record Reflection(Optional<Boolean> enabled) {}

  record AccessLog(Optional<String> level, Map<String, String> methods) {}

  record Server(Optional<Duration> defaultDeadline, Optional<KeepAlive> keepalive, Optional<Reflection> reflection,
      Optional<AccessLog> accessLog) {}

  record Retry(Optional<Integer> maxAttempts, Map<String, String> methods) {}

  record Breaker(Optional<Boolean> enabled) {}

  record Client(String target, Optional<Retry> retry, Optional<Breaker> circuitBreaker) {}

  record Backend(String host, @DefaultValue("80") int port) {}

  record Backends(List<Backend> backends, Map<String, Backend> byRegion) {}

  /** How a key reaches the process. */
  enum Source { ENV, SYSTEM_PROPERTY, YAML }

  @TempDir Path tmp;

  /** A configuration whose only setting is {@code key=value} from {@code source}, plus {@code yaml}. */
  private Config config(Source source, Map<String, String> values, String yaml) {
    var b = Config.builder()
        .configDirectory(tmp.resolve("none"))
        .secretsDirectory(tmp.resolve("no-secrets"))
        .localSecretsFile(tmp.resolve("no-secrets.age"));
    var text = new StringBuilder(yaml);
    switch (source) {
      case ENV -> {
        var env = new java.util.HashMap<String, String>();
        values.forEach((k, v) -> env.put(envForm(k), v));
        b.environment(env);
      }
      case SYSTEM_PROPERTY -> b.systemProperties(values);
      case YAML -> values.forEach((k, v) -> text.append(k).append(": '").append(v).append("'\n"));
    }
    return b.classLoader(Fixtures.classpath(tmp.resolve("cp-" + source), Map.of("application.yaml", text.toString())))
        .build();
  }

  /** The documented environment form (and what a user writes for a method name): upper case, other characters become _. */
  private static String envForm(String key) {
    return key.toUpperCase(java.util.Locale.ROOT).replaceAll("[./\\-\\[\\]]+", "_").replaceAll("_$", "");
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void optionalServerSectionsAreBoundFromEverySourceWithNoOtherKeyUnderTheRoot(Source source) {
    Config config = config(source, Map.of(
        "grpc.server.access-log.level", "OFF",
        "grpc.server.reflection.enabled", "false",
        "grpc.server.keepalive.time", "1m"), "");

    Server server = config.bind("grpc.server", Server.class);

    assertThat(server.accessLog()).map(AccessLog::level).contains(Optional.of("OFF"));
    assertThat(server.reflection()).map(Reflection::enabled).contains(Optional.of(false));
    assertThat(server.keepalive()).map(KeepAlive::time).contains(Optional.of(Duration.ofMinutes(1)));
    assertThat(server.defaultDeadline()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void optionalServerSectionsAreBoundWhenAFileDefinesOtherKeysUnderTheRoot(Source source) {
    Config config = config(source, Map.of("grpc.server.access-log.level", "WARN"), "grpc:\n  port: 8080\n");
    assertThat(config.bind("grpc.server", Server.class).accessLog()).map(AccessLog::level).contains(Optional.of("WARN"));
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void aClientsRetrySectionIsBoundFromEverySource(Source source) {
    Config config = config(source, Map.of(
        "grpc.clients.payments.target", "dns:///payments:8080",
        "grpc.clients.payments.retry.max-attempts", "1",
        "grpc.clients.payments.circuit-breaker.enabled", "false"), "");

    Client client = config.bind("grpc.clients.payments", Client.class);

    assertThat(client.retry()).map(Retry::maxAttempts).contains(Optional.of(1));
    assertThat(client.circuitBreaker()).map(Breaker::enabled).contains(Optional.of(false));
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void aBadValueInAnOptionalSectionIsReportedFromEverySource(Source source) {
    Config config = config(source, Map.of("grpc.clients.payments.target", "t",
        "grpc.clients.payments.retry.max-attempts", "bogus"), "");
    assertThatThrownBy(() -> config.bind("grpc.clients.payments", Client.class))
        .hasMessageContaining("grpc.clients.payments.retry.max-attempts")
        .hasMessageContaining("bogus");
  }

  @Test
  void findOfARecordSeesASectionSetOnlyInTheEnvironment() {
    Config config = config(Source.ENV, Map.of("grpc.server.reflection.enabled", "false"), "");
    assertThat(config.find("grpc.server.reflection", Reflection.class)).contains(new Reflection(Optional.of(false)));
  }

  @ParameterizedTest
  @EnumSource(value = Source.class, names = {"ENV", "SYSTEM_PROPERTY"})
  void listElementsSetOnlyByTheProcessAreBound(Source source) {
    Config config = config(source, Map.of("svc.backends[0].host", "a", "svc.backends[1].host", "b",
        "svc.backends[1].port", "8080"), "");
    assertThat(config.bind("svc", Backends.class).backends())
        .containsExactly(new Backend("a", 80), new Backend("b", 8080));
  }

  @Test
  void mapEntriesWithASingleWordNameComeFromTheEnvironmentInLowerCase() {
    Config config = config(Source.ENV, Map.of("svc.by-region.eu.host", "eu.example", "svc.by-region.us.port", "81",
        "svc.by-region.us.host", "us.example"), "");
    assertThat(config.bind("svc", Backends.class).byRegion())
        .containsExactlyInAnyOrderEntriesOf(Map.of("eu", new Backend("eu.example", 80), "us", new Backend("us.example", 81)));
  }

  @Test
  void aMapEntryTheEnvironmentCannotNameIsRefusedNotBoundUnderAMangledName() {
    Config config = config(Source.ENV, Map.of("grpc.server.access-log.methods.inventory.v1.PricingService/GetPrice", "OFF",
        "grpc.server.access-log.methods.health", "OFF"), "");
    assertThatThrownBy(() -> config.bind("grpc.server", Server.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GRPC_SERVER_ACCESS_LOG_METHODS_INVENTORY_V1_PRICINGSERVICE_GETPRICE")
        .hasMessageContaining("cannot be mapped to one entry of the map 'grpc.server.access-log.methods'")
        .hasMessageContaining("-Dgrpc.server.access-log.methods.<name>=")
        .hasMessageNotContaining("pricingservice");
  }

  @Test
  void anEnvironmentVariableMayOverrideAMapEntryThatAFileNames() {
    Config config = config(Source.ENV, Map.of("grpc.server.access-log.methods.inventory.v1.PricingService/GetPrice", "OFF"),
        "grpc.server.access-log.methods:\n  inventory.v1.PricingService/GetPrice: INFO\n");
    assertThat(config.bind("grpc.server", Server.class).accessLog().orElseThrow().methods())
        .containsExactly(Map.entry("inventory.v1.PricingService/GetPrice", "OFF"));
  }

  @ParameterizedTest
  @EnumSource(value = Source.class, names = {"SYSTEM_PROPERTY", "YAML"})
  void mapEntriesKeepTheirExactNamesFromSystemPropertiesAndFiles(Source source) {
    Config config = config(source, Map.of("grpc.server.access-log.methods.inventory.v1.PricingService/GetPrice", "OFF"), "");
    assertThat(config.bind("grpc.server", Server.class).accessLog().orElseThrow().methods())
        .containsExactly(Map.entry("inventory.v1.PricingService/GetPrice", "OFF"));
  }

  @Test
  void entriesListEveryBoundKeyUnderItsDeclaredNameWithItsSourceAndUsedDefaults() {
    record Svc(java.time.Duration watchInterval, @DefaultValue("3") int retries, Secret apiKey) {}
    Config config = Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .configDirectory(tmp.resolve("none"))
        .secretsDirectory(tmp.resolve("no-secrets"))
        .localSecretsFile(tmp.resolve("no-secrets.age"))
        .environment(Map.of("SVC_WATCH_INTERVAL", "10ms", "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "/x", "GRPC_PORT", "9"))
        .secret("svc.api-key", "hunter2")
        .build();
    // Before binding: only the in-memory test secret; nothing from the environment.
    assertThat(config.entries()).extracting(ConfigEntry::key).containsExactly("svc.api-key");

    config.bind("svc", Svc.class);
    config.find("grpc.port", Integer.class);

    assertThat(config.entries()).extracting(ConfigEntry::key, ConfigEntry::value, ConfigEntry::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("grpc.port", "9", "env GRPC_PORT"),
            org.assertj.core.groups.Tuple.tuple("svc.api-key", Secret.MASK, "test"),
            org.assertj.core.groups.Tuple.tuple("svc.retries", "3", "@DefaultValue on Svc.retries"),
            org.assertj.core.groups.Tuple.tuple("svc.watch-interval", "10ms", "env SVC_WATCH_INTERVAL"));
    assertThat(config.entries().toString()).doesNotContain("hunter2").doesNotContain("ssl");
  }

  @Test
  void misspelledProcessKeysUnderABoundPrefixAreAllReportedWithTheClosestDeclaredKey() {
    Config config = Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .configDirectory(tmp.resolve("none"))
        .secretsDirectory(tmp.resolve("no-secrets"))
        .localSecretsFile(tmp.resolve("no-secrets.age"))
        .environment(Map.of("GRPC_SERVER_ACESS_LOG_LEVEL", "OFF"))
        .systemProperties(Map.of("grpc.server.default-deadlne", "1s"))
        .build();
    assertThatThrownBy(() -> config.bind("grpc.server", Server.class))
        .hasMessageContaining("GRPC_SERVER_ACESS_LOG_LEVEL")
        .hasMessageContaining("did you mean grpc.server.access-log.level (env GRPC_SERVER_ACCESS_LOG_LEVEL)?")
        .hasMessageContaining("grpc.server.default-deadlne")
        .hasMessageContaining("did you mean grpc.server.default-deadline");
  }
}
