package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindTest {

  enum Mode { LIVE, SANDBOX_ONLY }

  record Pool(int maxSize, @DefaultValue("30s") Duration idleTimeout) {}

  record Db(URI url, Pool pool) {}

  record Endpoint(String host, int port) {}

  record Payments(
      Secret apiKey,
      Duration acquirerTimeout,
      Optional<URI> sandboxUrl,
      Db db,
      Mode mode,
      boolean enabled,
      long maxAmount,
      DataSize maxBody,
      List<String> currencies,
      List<Endpoint> endpoints,
      Map<String, String> labels,
      @DefaultValue("250ms") Duration drainDelay) {}

  @TempDir Path tmp;

  private ConfigBuilder builder(String yaml) {
    return Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of("application.yaml", yaml)))
        .configDirectory(tmp.resolve("none"))
        .secretsDirectory(tmp.resolve("no-secrets"))
        .localSecretsFile(tmp.resolve("no-secrets.age"));
  }

  @Test
  void bindsEveryComponentKindFromKebabCaseKeys() {
    Config config = builder("""
        payments:
          acquirer-timeout: 2s
          db:
            url: postgres://db:5432/payments
            pool:
              max-size: 8
          mode: sandbox-only
          enabled: true
          max-amount: 10_000_000_000
          max-body: 4MiB
          currencies: [JPY, EUR]
          endpoints:
            - host: a
              port: 1
            - host: b
              port: 2
          labels:
            team: payments
            tier.level: gold
        """)
        .secret("payments.api-key", "k-123")
        .environment(Map.of("PAYMENTS_DRAIN_DELAY", "300ms"))
        .build();

    Payments p = config.bind("payments", Payments.class);

    assertThat(p.apiKey().reveal()).isEqualTo("k-123");
    assertThat(p.acquirerTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.sandboxUrl()).isEmpty();
    assertThat(p.db()).isEqualTo(new Db(URI.create("postgres://db:5432/payments"), new Pool(8, Duration.ofSeconds(30))));
    assertThat(p.mode()).isEqualTo(Mode.SANDBOX_ONLY);
    assertThat(p.enabled()).isTrue();
    assertThat(p.maxAmount()).isEqualTo(10_000_000_000L);
    assertThat(p.maxBody()).isEqualTo(DataSize.ofBytes(4 * 1024 * 1024));
    assertThat(p.currencies()).containsExactly("JPY", "EUR");
    assertThat(p.endpoints()).containsExactly(new Endpoint("a", 1), new Endpoint("b", 2));
    assertThat(p.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "payments", "tier.level", "gold"));
    assertThat(p.drainDelay()).isEqualTo(Duration.ofMillis(300));
    assertThat(p.toString()).contains("apiKey=******").doesNotContain("k-123");
  }

  @Test
  void collectsEveryProblemIntoOneExceptionWithKeySourceAndExpectation() {
    var builder = builder("""
        payments:
          acquirer-timeout: 5 fortnights
          db:
            url: "http://bad host/"
            pool:
              max-size: many
          mode: turbo
          enabled: maybe
          max-amount: 1
          max-body: 4 bytes
          curencies: [JPY]
        """);
    Config config = builder.build();

    assertThatThrownBy(() -> config.bind("payments", Payments.class))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).extracting(ConfigException.Problem::key).containsExactlyInAnyOrder(
              "payments.api-key", "payments.acquirer-timeout", "payments.db.url", "payments.db.pool.max-size",
              "payments.mode", "payments.enabled", "payments.max-body", "payments.curencies[0]");
          assertThat(e.getMessage())
              .contains("payments.acquirer-timeout [classpath:application.yaml]: expected a duration")
              .contains("unknown unit 'fortnights'")
              .contains("payments.db.url [classpath:application.yaml]: expected a URI")
              .contains("payments.db.pool.max-size [classpath:application.yaml]: expected an integer")
              .contains("payments.mode [classpath:application.yaml]: expected one of LIVE, SANDBOX_ONLY")
              .contains("payments.enabled [classpath:application.yaml]: expected a boolean")
              .contains("payments.max-body [classpath:application.yaml]: expected a data size")
              .contains("payments.curencies[0] [classpath:application.yaml]: unknown key under bound prefix 'payments'")
              .contains("payments.api-key [not set]: missing secret");
        });
  }

  @Test
  void aMissingRequiredKeyNamesTheEnvironmentVariableThatWouldSetIt() {
    record Small(int port) {}
    Config config = builder("other: 1\n").build();
    assertThatThrownBy(() -> config.bind("server", Small.class))
        .hasMessageContaining("server.port [not set]: missing required value; expected an integer")
        .hasMessageContaining("env SERVER_PORT");
  }

  @Test
  void aSecretInPlainConfigurationIsRejectedWithoutEchoingIt() {
    record Api(Secret token) {}
    Config config = builder("api:\n  token: plain-text-token\n").build();
    assertThatThrownBy(() -> config.bind("api", Api.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("api.token [classpath:application.yaml]: a secret must not be set in plain configuration")
        .message().doesNotContain("plain-text-token");
  }

  @Test
  void optionalComponentsArePresentWhenSet() {
    record Opt(Optional<URI> sandboxUrl, Optional<Integer> retries, Optional<Secret> token) {}
    Config config = builder("opt:\n  sandbox-url: https://sandbox\n").secret("opt.token", "t").build();
    Opt opt = config.bind("opt", Opt.class);
    assertThat(opt.sandboxUrl()).contains(URI.create("https://sandbox"));
    assertThat(opt.retries()).isEmpty();
    assertThat(opt.token()).contains(Secret.of("t"));
  }

  @Test
  void listsOfRecordsNest() {
    record Item(String sku, int quantity) {}
    record Order(String id, List<Item> items) {}
    record Orders(List<Order> orders) {}
    Config config = builder("""
        shop:
          orders:
            - id: o1
              items:
                - sku: a
                  quantity: 1
                - sku: b
                  quantity: 2
            - id: o2
              items: []
        """).build();
    assertThat(config.bind("shop", Orders.class).orders()).containsExactly(
        new Order("o1", List.of(new Item("a", 1), new Item("b", 2))), new Order("o2", List.of()));
  }

  @Test
  void camelCaseKeysAreAcceptedToo() {
    record Lifecycle(Duration drainDelay) {}
    Config config = builder("lifecycle:\n  drainDelay: 1s\n").build();
    assertThat(config.bind("lifecycle", Lifecycle.class).drainDelay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void getOfARecordTypeBinds() {
    Config config = builder("pool:\n  max-size: 3\n").build();
    assertThat(config.get("pool", Pool.class)).isEqualTo(new Pool(3, Duration.ofSeconds(30)));
    assertThat(config.find("absent", Pool.class)).isEmpty();
  }

  @Test
  void environmentVariablesUnderABoundPrefixThatMatchNoComponentAreReportedWithTheClosestKey() {
    record Svc(@DefaultValue("1s") Duration deadline) {}
    Config config = builder("svc:\n  deadline: 2s\n")
        .environment(Map.of("SVC_DEADLNE", "5s", "SVC_SERVICE_HOST", "10.0.0.1", "SVC_PORT_8080_TCP", "tcp://x"))
        .build();
    // Kubernetes service links (SVC_SERVICE_HOST, SVC_PORT_...) are not configuration: not reported.
    assertThatThrownBy(() -> config.bind("svc", Svc.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SVC_DEADLNE")
        .hasMessageContaining("did you mean svc.deadline (env SVC_DEADLINE)?")
        .hasMessageNotContaining("SERVICE_HOST")
        .hasMessageNotContaining("PORT_8080");
  }

  // Optional sections are looked up, not waited for: a section is present when any declared leaf
  // is set in any source, even when no file uses the section's root (the common Kubernetes case:
  // no application.yaml, settings from the Deployment's env).
  record KeepAlive(Optional<Duration> time, Optional<Boolean> permitWithoutCalls) {}

  record AccessLog(Optional<String> level, Map<String, String> methods) {}

  record Server(Optional<String> host, Optional<KeepAlive> keepalive, Optional<AccessLog> accessLog) {}

  @Test
  void anOptionalSectionSetOnlyByAnEnvironmentVariableIsBound() {
    Config config = builder("").environment(Map.of(
        "SRV_ACCESS_LOG_LEVEL", "OFF", "SRV_KEEPALIVE_PERMIT_WITHOUT_CALLS", "true")).build();
    Server server = config.bind("srv", Server.class);
    assertThat(server.accessLog()).map(AccessLog::level).contains(Optional.of("OFF"));
    assertThat(server.keepalive()).map(KeepAlive::permitWithoutCalls).contains(Optional.of(true));
    assertThat(server.host()).isEmpty();
  }

  @Test
  void anOptionalSectionSetOnlyByASystemPropertyIsBound() {
    Config config = builder("").systemProperties(Map.of("srv.keepalive.time", "1m")).build();
    assertThat(config.bind("srv", Server.class).keepalive())
        .map(KeepAlive::time).contains(Optional.of(Duration.ofMinutes(1)));
  }

  @Test
  void anOptionalSectionSetInYamlIsBound_andAbsentEverywhereIsEmpty() {
    assertThat(builder("srv:\n  access-log:\n    level: WARN\n").build().bind("srv", Server.class).accessLog())
        .map(AccessLog::level).contains(Optional.of("WARN"));
    Server none = builder("").environment(Map.of("UNRELATED", "x")).build().bind("srv", Server.class);
    assertThat(none.accessLog()).isEmpty();
    assertThat(none.keepalive()).isEmpty();
  }

  @Test
  void anOptionalSectionSetOnlyThroughAMapFromASystemPropertyIsBound() {
    Config config = builder("")
        .systemProperties(Map.of("srv.access-log.methods.pkg.Svc/Get", "DEBUG")).build();
    assertThat(config.bind("srv", Server.class).accessLog())
        .map(AccessLog::methods).contains(Map.of("pkg.Svc/Get", "DEBUG"));
  }

  @Test
  void anUnknownKeyInAFileUnderAnOptionalSectionIsStillReported() {
    Config config = builder("srv:\n  keepalive:\n    tme: 1m\n").build();
    assertThatThrownBy(() -> config.bind("srv", Server.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("srv.keepalive.tme");
  }
}
