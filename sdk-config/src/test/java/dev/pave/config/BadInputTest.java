package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2, section 4: each bad input gives a ConfigException naming the file or key and what was
 * expected, leaves nothing half-applied, and prints no secret.
 */
class BadInputTest {

  private static final String PLAINTEXT = "sk_live_DO_NOT_PRINT_42";

  @TempDir Path tmp;

  private ConfigBuilder builder() {
    return Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .configDirectory(tmp.resolve("none"))
        .secretsDirectory(tmp.resolve("no-volume"))
        .localSecretsFile(tmp.resolve("absent.age"));
  }

  @Test
  void malformedYamlNamesTheFileAndLine() {
    ClassLoader cp = Fixtures.classpath(tmp.resolve("cp-bad"), Map.of("application.yaml",
        "payments:\n  timeout: 5s\n  url: [unclosed\nother: 1\n"));
    assertThatThrownBy(() -> Config.builder().classLoader(cp).configDirectory(tmp.resolve("none")).build())
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("application.yaml");
            assertThat(p.source()).isEqualTo("classpath:application.yaml");
            assertThat(p.message()).contains("malformed YAML at line 4").contains("expected a YAML mapping");
          });
        });
  }

  @Test
  void malformedYamlInAConfigDirectoryNamesThePathAndLine() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(dir.resolve("application.yaml"), "a: 1\na: 2\n");
    assertThatThrownBy(() -> builder().configDirectory(dir).build())
        .hasMessageContaining("[file " + dir.resolve("application.yaml").toAbsolutePath() + "]")
        .hasMessageContaining("line 2")
        .hasMessageContaining("found duplicate key a");
  }

  @Test
  void unknownDurationUnitNamesKeySourceAndUnits() {
    record Lifecycle(Duration drainDelay) {}
    Config config = builder().environment(Map.of("LIFECYCLE_DRAIN_DELAY", "5sec")).build();
    assertThatThrownBy(() -> config.bind("lifecycle", Lifecycle.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("lifecycle.drain-delay [env LIFECYCLE_DRAIN_DELAY]")
        .hasMessageContaining("unknown unit 'sec'; known units: ns, us, ms, s, m, h, d");
  }

  @Test
  void aSecretPathThatIsADirectoryFailsAndNoSecretIsHalfLoaded() throws IOException {
    Path volume = tmp.resolve("secrets");
    Fixtures.kubeletWrite(volume, "1", Map.of("db.password", PLAINTEXT));
    Files.createDirectories(volume.resolve("payments.api-key"));

    try (Config config = builder().secretsDirectory(volume).build()) {
      assertThatThrownBy(() -> config.secret("db.password"))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("payments.api-key");
            assertThat(p.source()).isEqualTo("file " + volume.resolve("payments.api-key").toAbsolutePath());
            assertThat(p.message()).contains("is a directory; expected a regular file");
          }))
          .message().doesNotContain(PLAINTEXT);
      // Nothing half-loaded: the good secret beside the bad one is not served, and not listed.
      assertThatThrownBy(() -> config.findSecret("db.password")).isInstanceOf(ConfigException.class);
      assertThat(config.entries()).noneMatch(ConfigEntry::secret);
    }
  }

  @Test
  void aLocalSecretsFileThatIsADirectoryFails() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("secrets.local.age"));
    try (Config config = builder().localSecretsFile(dir).ageIdentityFile(tmp.resolve("id")).build()) {
      assertThatThrownBy(() -> config.secret("k"))
          .hasMessageContaining("secrets.local-file [file " + dir.toAbsolutePath() + "]: is a directory; expected an age-encrypted file");
    }
  }

  @Test
  void anAgeFileEncryptedToAnotherRecipientFails() throws Exception {
    String someoneElse = Fixtures.ageKeygen(tmp.resolve("other/id.txt"));
    Fixtures.ageKeygen(tmp.resolve("me/id.txt"));
    Path file = tmp.resolve("secrets.local.age");
    Fixtures.ageEncrypt(someoneElse, "payments.api-key=" + PLAINTEXT + "\n", file);

    try (Config config = builder().localSecretsFile(file).ageIdentityFile(tmp.resolve("me/id.txt")).build()) {
      assertThatThrownBy(() -> config.secret("payments.api-key"))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("secrets.local-file");
            assertThat(p.source()).isEqualTo("file " + file.toAbsolutePath());
            assertThat(p.message()).contains("cannot be decrypted with the identity in " + tmp.resolve("me/id.txt").toAbsolutePath())
                .contains("expected a file encrypted to that identity's recipient");
          }))
          .message().doesNotContain(PLAINTEXT);
      assertThat(config.entries()).noneMatch(ConfigEntry::secret);
    }
  }

  @Test
  void anAgeFileTruncatedInsideItsHeaderFails() throws Exception {
    String me = Fixtures.ageKeygen(tmp.resolve("me/id.txt"));
    Path file = tmp.resolve("secrets.local.age");
    Fixtures.ageEncrypt(me, "payments.api-key=" + PLAINTEXT + "\n", file);
    Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 150));

    try (Config config = builder().localSecretsFile(file).ageIdentityFile(tmp.resolve("me/id.txt")).build()) {
      assertThatThrownBy(() -> config.secret("payments.api-key"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("secrets.local-file [file " + file.toAbsolutePath() + "]: is truncated or not an age file")
          .message().doesNotContain(PLAINTEXT);
    }
  }

  @Test
  void aTruncatedAgeFileFails() throws Exception {
    String me = Fixtures.ageKeygen(tmp.resolve("me/id.txt"));
    Path file = tmp.resolve("secrets.local.age");
    Fixtures.ageEncrypt(me, "payments.api-key=" + PLAINTEXT + "\n" + "padding=" + "x".repeat(200) + "\n", file);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 40));

    try (Config config = builder().localSecretsFile(file).ageIdentityFile(tmp.resolve("me/id.txt")).build()) {
      assertThatThrownBy(() -> config.secret("payments.api-key"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("secrets.local-file [file " + file.toAbsolutePath() + "]: is truncated or not an age file")
          .message().doesNotContain(PLAINTEXT);
      assertThat(config.entries()).noneMatch(ConfigEntry::secret);
    }
  }

  @Test
  void aMissingIdentityFileFailsNamingWhereItWasLookedFor() throws Exception {
    String me = Fixtures.ageKeygen(tmp.resolve("me/id.txt"));
    Path file = tmp.resolve("secrets.local.age");
    Fixtures.ageEncrypt(me, "payments.api-key=" + PLAINTEXT + "\n", file);
    Path home = tmp.resolve("empty-home");

    try (Config config = builder().localSecretsFile(file).systemProperties(Map.of("user.home", home.toString())).build()) {
      assertThatThrownBy(() -> config.secret("payments.api-key"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("secrets.local-file [file " + file.toAbsolutePath() + "]")
          .hasMessageContaining("the age identity file " + home.resolve(".config/pave/age-identity.txt").toAbsolutePath() + " does not exist")
          .hasMessageContaining("PAVE_AGE_IDENTITY_FILE");
    }
  }

  @Test
  void aPlaceholderCycleFailsTheBuild() {
    assertThatThrownBy(() -> builder()
        .defaults(Map.of("a.url", "http://${b.host}/", "b.host", "${a.url}"))
        .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("a.url [default]: placeholder cycle a.url -> b.host -> a.url")
        .hasMessageContaining("expected placeholders that end in a value");
  }

  @Test
  void anEnvironmentVariableThatMapsToTwoKeysFailsTheBuild() {
    assertThatThrownBy(() -> builder()
        .defaults(Map.of("lifecycle.drain-delay", "1s", "lifecycle.drain.delay", "2s"))
        .environment(Map.of("LIFECYCLE_DRAIN_DELAY", "3s"))
        .build())
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().satisfies(p -> {
          assertThat(p.source()).isEqualTo("env LIFECYCLE_DRAIN_DELAY");
          assertThat(p.message()).contains("maps to more than one key (lifecycle.drain-delay and lifecycle.drain.delay)")
              .contains("expected a variable that maps to exactly one key");
        }));
  }

  @Test
  void yamlStructureErrorsNameTheFileLineAndProblem() {
    assertThat(yamlProblem("a: *missing\n")).contains("line 1").contains("found undefined alias missing");
    assertThat(yamlProblem("a: 1\n---\nb: 2\n")).contains("line 2").contains("expected a single document");
    assertThat(yamlProblem("- a\n- b\n")).contains("expected a YAML mapping of keys to values at the top level")
        .contains("found a sequence");
    assertThat(yamlProblem("? [a, b]\n: 1\n")).contains("a YAML key at line 1").contains("is not a scalar");
  }

  @Test
  void aYamlAliasBombFailsFastInsteadOfExpanding() {
    // The "billion laughs" shape: each level repeats the one before nine times.
    var yaml = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
      yaml.append("l").append(i).append(": &l").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
      }
      yaml.append("]\n");
    }
    assertThat(yamlProblem(yaml.toString())).contains("more than 50 aliases of mappings or sequences");
  }

  @Test
  void aYamlAliasThatExpandsPastTheNodeLimitFails() {
    // Under the alias limit (8 levels of 5 aliases: 40), but 5^8 leaves once expanded.
    var yaml = new StringBuilder("l0: &l0 [x, x, x, x, x]\n");
    for (int i = 1; i <= 8; i++) {
      yaml.append("l").append(i).append(": &l").append(i).append(" [");
      for (int j = 0; j < 5; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
      }
      yaml.append("]\n");
    }
    assertThat(yamlProblem(yaml.toString())).contains("YAML expands to more than 100000 nodes");
  }

  @Test
  void aRecursiveYamlAliasReferencedTwiceFailsWithoutExploring() {
    assertThat(yamlProblem("a: &x [*x, *x]\n")).contains("nested deeper than 64 levels").contains("recursive alias");
  }

  private String yamlProblem(String yaml) {
    ClassLoader cp = Fixtures.classpath(tmp.resolve("cp-" + Integer.toHexString(yaml.hashCode())), Map.of("application.yaml", yaml));
    try {
      Config.builder().classLoader(cp).configDirectory(tmp.resolve("none")).build();
    } catch (ConfigException e) {
      assertThat(e.problems()).singleElement().satisfies(p -> {
        assertThat(p.key()).isEqualTo("application.yaml");
        assertThat(p.source()).isEqualTo("classpath:application.yaml");
      });
      return e.problems().get(0).message();
    }
    throw new AssertionError("expected a ConfigException for " + yaml);
  }
}
