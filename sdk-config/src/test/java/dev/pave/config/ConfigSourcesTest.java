package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

  @TempDir Path tmp;

  private ConfigBuilder isolated() {
    return Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("empty-cp"), Map.of()))
        .configDirectory(tmp.resolve("no-config-dir"));
  }

  @Test
  void eachSourceOverridesTheOnesBelowIt() throws IOException {
    ClassLoader cp = Fixtures.classpath(tmp.resolve("cp"), Map.of(
        "application.yaml", "deployment:\n  environment: staging\nk:\n  cp: classpath\n  env-file: classpath\n  dir: classpath\n  env: classpath\n  sys: classpath\n  over: classpath\n",
        "application-staging.yaml", "k:\n  env-file: staging\n  dir: staging\n  env: staging\n  sys: staging\n  over: staging\n"));
    Path dir = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(dir.resolve("k.dir"), "directory\n");
    Files.writeString(dir.resolve("k.env"), "directory");
    Files.writeString(dir.resolve("k.sys"), "directory");
    Files.writeString(dir.resolve("k.over"), "directory");

    Config config = Config.builder()
        .classLoader(cp)
        .configDirectory(dir)
        .defaults(Map.of("k", Map.of("default", "code", "cp", "code")))
        .environment(Map.of("K_ENV", "environment", "K_SYS", "environment", "K_OVER", "environment"))
        .systemProperties(Map.of("k.sys", "sysprop", "k.over", "sysprop"))
        .override("k.over", "override")
        .build();

    assertThat(config.subtree("k")).containsExactlyInAnyOrderEntriesOf(Map.of(
        "default", "code", "cp", "classpath", "env-file", "staging", "dir", "directory",
        "env", "environment", "sys", "sysprop", "over", "override"));
    assertThat(config.entries()).filteredOn(e -> e.key().startsWith("k."))
        .extracting(ConfigEntry::key, ConfigEntry::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("k.cp", "classpath:application.yaml"),
            org.assertj.core.groups.Tuple.tuple("k.default", "default"),
            org.assertj.core.groups.Tuple.tuple("k.dir", "file " + dir.resolve("k.dir").toAbsolutePath()),
            org.assertj.core.groups.Tuple.tuple("k.env", "env K_ENV"),
            org.assertj.core.groups.Tuple.tuple("k.env-file", "classpath:application-staging.yaml"),
            org.assertj.core.groups.Tuple.tuple("k.over", "override"),
            org.assertj.core.groups.Tuple.tuple("k.sys", "system property k.sys"));
  }

  @Test
  void relaxedEnvironmentNamesBindDottedAndDashedKeys() {
    Config config = isolated()
        .environment(Map.of("PAYMENTS_DB_URL", "jdbc:x", "LIFECYCLE_DRAIN_DELAY", "300ms",
            "GRPC_CLIENTS_PAYMENTS_TARGET", "dns:///payments:443"))
        .build();

    assertThat(config.get("payments.db.url")).isEqualTo("jdbc:x");
    assertThat(config.get("lifecycle.drain-delay", Duration.class)).isEqualTo(Duration.ofMillis(300));
    assertThat(config.get("grpc.clients.payments.target")).isEqualTo("dns:///payments:443");
  }

  @Test
  void ofTwoEnvironmentVariablesDifferingOnlyInCaseTheUpperCaseOneWins() {
    var environment = new java.util.LinkedHashMap<String, String>();
    environment.put("cache_size", "lower");
    environment.put("CACHE_SIZE", "upper");
    environment.put("Cache_Size", "mixed");
    Config config = isolated().defaults(Map.of("cache.size", "0")).environment(environment).build();
    assertThat(config.get("cache.size")).isEqualTo("upper");
    assertThat(config.entries()).filteredOn(e -> e.key().equals("cache.size"))
        .extracting(ConfigEntry::source).containsExactly("env CACHE_SIZE");
  }

  @Test
  void problemsFromSeveralKeysAreListedInKeyOrder() {
    assertThatThrownBy(() -> isolated()
        .defaults(Map.of("z.url", "${nope.z}", "a.url", "${nope.a}", "m.url", "${nope.m}"))
        .build())
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .extracting(ConfigException.Problem::key).containsExactly("a.url", "m.url", "z.url"));
  }

  @Test
  void entriesAreSortedByKeyWithSecretsMasked() {
    Config config = isolated()
        .defaults(Map.of("b.two", "2", "a.one", "1", "c.password", "hunter2"))
        .secret("b.api-key", "sk_test")
        .build();
    assertThat(config.entries()).extracting(ConfigEntry::key).containsExactly("a.one", "b.api-key", "b.two", "c.password");
    assertThat(config.entries()).filteredOn(ConfigEntry::secret).extracting(ConfigEntry::key)
        .containsExactly("b.api-key", "c.password");
  }

  @Test
  void anEnvironmentVariableMatchingTwoKnownKeysIsAnError() {
    assertThatThrownBy(() -> isolated()
        .defaults(Map.of("cache.max-size", "1", "cache.max.size", "2"))
        .environment(Map.of("CACHE_MAX_SIZE", "3"))
        .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("env CACHE_MAX_SIZE")
        .hasMessageContaining("cache.max-size and cache.max.size")
        .hasMessageContaining("maps to more than one key");
  }

  @Test
  void configDirectoryWithKubeletLayoutReadsOneFilePerKeyAndItsApplicationYaml() throws IOException {
    Path dir = tmp.resolve("configmap");
    Fixtures.kubeletWrite(dir, "2026_11_27_09_00_00.1", Map.of(
        "payments.db.url", "jdbc:postgresql://db/payments\n",
        "application.yaml", "payments:\n  db:\n    url: overridden-by-file\n    pool-size: 8\n",
        "application.properties", "payments.region=eu\n"));

    Config config = isolated().configDirectory(dir).build();

    assertThat(config.get("payments.db.url")).isEqualTo("jdbc:postgresql://db/payments");
    assertThat(config.get("payments.db.pool-size", Integer.class)).isEqualTo(8);
    assertThat(config.get("payments.region")).isEqualTo("eu");
    assertThat(config.entries()).extracting(ConfigEntry::key).noneMatch(k -> k.startsWith(".."));
  }

  @Test
  void aMissingConfigDirectoryIsFine() {
    Config config = isolated().configDirectory(tmp.resolve("absent")).defaultValue("a", "b").build();
    assertThat(config.get("a")).isEqualTo("b");
  }

  @Test
  void placeholdersResolveAcrossSourcesWithDefaults() {
    Config config = isolated()
        .defaults(Map.of("db.host", "localhost", "db.url", "jdbc:postgresql://${db.host}:${db.port:5432}/${service.name}"))
        .environment(Map.of("SERVICE_NAME", "payments"))
        .build();

    assertThat(config.get("db.url")).isEqualTo("jdbc:postgresql://localhost:5432/payments");
    assertThat(config.entries()).filteredOn(e -> e.key().equals("db.url")).singleElement()
        .satisfies(e -> assertThat(e.value()).isEqualTo("jdbc:postgresql://localhost:5432/payments"));
  }

  @Test
  void aPlaceholderCycleIsAClearError() {
    assertThatThrownBy(() -> isolated().defaults(Map.of("a", "${b}", "b", "x-${a}")).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("placeholder cycle a -> b -> a")
        .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigException.Problem::key).contains("a", "b"));
  }

  @Test
  void anUnresolvablePlaceholderNamesTheMissingKey() {
    assertThatThrownBy(() -> isolated().defaults(Map.of("a", "${nope}")).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("placeholder ${nope} cannot be resolved");
  }

  @Test
  void listsComeFromYamlSequencesOrCommaSeparatedTextAndAHigherSourceReplacesTheWholeList() {
    ClassLoader cp = Fixtures.classpath(tmp.resolve("cp"), Map.of(
        "application.yaml", "hosts:\n  - a\n  - b\n  - c\nports: [1, 2]\n"));
    Config config = Config.builder().classLoader(cp).configDirectory(tmp.resolve("none"))
        .environment(Map.of("PORTS", "8080, 8081"))
        .build();

    assertThat(config.getList("hosts", String.class)).containsExactly("a", "b", "c");
    assertThat(config.getList("ports", Integer.class)).containsExactly(8080, 8081);
    assertThat(config.getList("absent", String.class)).isEmpty();
    Config escaped = isolated().override("patterns", "iban=(\\w+), card=\\d{13\\,19}").build();
    assertThat(escaped.getList("patterns", String.class)).containsExactly("iban=(\\w+)", "card=\\d{13,19}");
  }

  @Test
  void yamlAnchorsAndMergeKeysApplyWithExplicitKeysWinning() {
    ClassLoader cp = Fixtures.classpath(tmp.resolve("cp"), Map.of("application.yaml", """
        base: &base
          timeout: 1s
          retries: 3
        grpc:
          clients:
            payments:
              <<: *base
              retries: 5
        """));
    Config config = Config.builder().classLoader(cp).configDirectory(tmp.resolve("none")).build();
    assertThat(config.subtree("grpc.clients.payments")).containsExactlyInAnyOrderEntriesOf(Map.of("timeout", "1s", "retries", "5"));
  }

  @Test
  void aRecursiveYamlAliasIsAnErrorNotAStackOverflow() {
    ClassLoader cp = Fixtures.classpath(tmp.resolve("cp"), Map.of("application.yaml", "a: &x\n  - *x\n"));
    assertThatThrownBy(() -> Config.builder().classLoader(cp).configDirectory(tmp.resolve("none")).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("application.yaml [classpath:application.yaml]");
  }

  @Test
  void subtreeListsEffectiveValuesRelativeToThePrefix() {
    Config config = isolated()
        .defaults(Map.of("logging", Map.of("level", Map.of("root", "INFO", "com.example", "WARN"))))
        .systemProperties(Map.of("logging.level.com.example", "DEBUG"))
        .environment(Map.of("LOGGING_LEVEL_IO_GRPC", "ERROR"))
        .build();

    assertThat(config.subtree("logging.level"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("root", "INFO", "com.example", "DEBUG", "io.grpc", "ERROR"));
  }

  @Test
  void getReportsKeySourceAndExpectationForMissingAndMalformedValues() {
    Config config = isolated().environment(Map.of("PAYMENTS_TIMEOUT", "5 parsecs")).build();

    assertThatThrownBy(() -> config.get("payments.timeout", Duration.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("payments.timeout [env PAYMENTS_TIMEOUT]")
        .hasMessageContaining("unknown unit 'parsecs'");
    assertThatThrownBy(() -> config.get("payments.port", Integer.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("payments.port [not set]: missing required value; expected an integer");
    assertThat(config.get("payments.port", Integer.class, 8080)).isEqualTo(8080);
    assertThat(config.find("payments.port", Integer.class)).isEmpty();
  }

  @Test
  void provenanceMasksValuesOfKeysNamedLikeCredentials() {
    Config config = isolated().defaults(Map.of("db.password", "hunter2", "db.user", "app")).build();

    assertThat(config.entries()).extracting(ConfigEntry::key, ConfigEntry::value, ConfigEntry::secret)
        .contains(org.assertj.core.groups.Tuple.tuple("db.password", "******", true),
            org.assertj.core.groups.Tuple.tuple("db.user", "app", false));
    assertThat(config.entries().toString()).doesNotContain("hunter2");
  }

  @Test
  void loadReadsTheRealProcess() {
    System.setProperty("pave.test.load-marker", "from-sysprop");
    try (Config config = Config.load()) {
      assertThat(config.get("pave.test.load-marker")).isEqualTo("from-sysprop");
      assertThat(config.find("path", String.class)).contains(System.getenv("PATH"));
    } finally {
      System.clearProperty("pave.test.load-marker");
    }
  }

  @Test
  void environmentNameCanComeFromTheBuilder() {
    ClassLoader cp = Fixtures.classpath(tmp.resolve("cp"), Map.of(
        "application.yaml", "greeting: hello\n", "application-prod.yaml", "greeting: hello prod\n"));
    Config config = Config.builder().classLoader(cp).configDirectory(tmp.resolve("none")).environmentName("prod").build();
    assertThat(config.get("greeting")).isEqualTo("hello prod");
    assertThat(config.getList("nothing", String.class)).isEqualTo(List.of());
  }

  @Test
  void noMachineFiles_readsNoConfigDirectoryNorSecretLocation_fromDefaultsOrKeys() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("machine-config"));
    Files.writeString(dir.resolve("k.from-dir"), "machine");
    Path secrets = Files.createDirectories(tmp.resolve("machine-secrets"));
    Files.writeString(secrets.resolve("db.password"), "machine-secret");
    // The keys that would point a load at the machine's files: ignored, not followed.
    Map<String, String> pointers = Map.of("config.dirs", dir.toString(), "secrets.dir", secrets.toString(),
        "secrets.local-file", tmp.resolve("absent.age").toString());

    try (Config followed = Config.builder().classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .systemProperties(pointers).build()) {
      assertThat(followed.find("k.from-dir", String.class)).contains("machine");
      assertThat(followed.secret("db.password").reveal()).isEqualTo("machine-secret");
    }
    try (Config hermetic = Config.builder().classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .systemProperties(pointers).noMachineFiles().secret("api.key", "given").build()) {
      assertThat(hermetic.find("k.from-dir", String.class)).isEmpty();
      assertThatThrownBy(() -> hermetic.secret("db.password")).isInstanceOf(ConfigException.class)
          .hasMessageContaining("db.password");
      assertThat(hermetic.secret("api.key").reveal()).isEqualTo("given");
    }
    // What the builder is given explicitly is still read.
    try (Config given = Config.builder().classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .noMachineFiles().configDirectory(dir).secretsDirectory(secrets).build()) {
      assertThat(given.find("k.from-dir", String.class)).contains("machine");
      assertThat(given.secret("db.password").reveal()).isEqualTo("machine-secret");
    }
  }
}
