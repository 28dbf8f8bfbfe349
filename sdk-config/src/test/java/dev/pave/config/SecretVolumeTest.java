package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretVolumeTest {

  @TempDir Path tmp;

  private ConfigBuilder builder(Path volume) {
    return Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .configDirectory(tmp.resolve("none"))
        .secretsDirectory(volume)
        .localSecretsFile(tmp.resolve("absent.age"));
  }

  @Test
  void anEmptySecretsDirMeansUnset_neverTheWorkingDirectory() {
    // The working directory of this test holds pom.xml; an empty SECRETS_DIR used to make it a secret.
    assertThat(Path.of("pom.xml")).exists();
    try (Config config = Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .configDirectory(tmp.resolve("none"))
        .localSecretsFile(tmp.resolve("absent.age"))
        .environment(Map.of("SECRETS_DIR", "", "SECRETS_LOCAL_FILE", " "))
        .build()) {
      assertThat(config.findSecret("pom.xml")).isEmpty();
      assertThat(config.entries()).noneMatch(ConfigEntry::secret);
    }
  }

  @Test
  void readsTheKubeletLayoutSkippingDotDotEntriesAndStrippingTheTrailingNewline() throws IOException {
    Path volume = tmp.resolve("secrets");
    Fixtures.kubeletWrite(volume, "2026_11_27_09_00_00.1", Map.of("payments.api-key", "k-1\n", "db.password", "pw"));

    try (Config config = builder(volume).build()) {
      assertThat(config.secret("payments.api-key").reveal()).isEqualTo("k-1");
      assertThat(config.secret("db.password").reveal()).isEqualTo("pw");
      assertThat(config.findSecret("..data")).isEmpty();
      assertThat(config.entries()).filteredOn(ConfigEntry::secret)
          .extracting(ConfigEntry::key, ConfigEntry::value, ConfigEntry::source)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("db.password", "******", "file " + volume.resolve("db.password").toAbsolutePath()),
              org.assertj.core.groups.Tuple.tuple("payments.api-key", "******", "file " + volume.resolve("payments.api-key").toAbsolutePath()));
    }
  }

  @Test
  void secretsAreLoadedLazilySoABrokenVolumeOnlyFailsOnFirstSecretAccess() throws IOException {
    Path volume = tmp.resolve("secrets");
    Files.createDirectories(volume.resolve("payments.api-key"));

    try (Config config = builder(volume).defaultValue("plain", "ok").build()) {
      assertThat(config.get("plain")).isEqualTo("ok");
      assertThat(config.entries()).noneMatch(ConfigEntry::secret);
      assertThatThrownBy(() -> config.secret("payments.api-key")).isInstanceOf(ConfigException.class);
    }
  }

  @Test
  void environmentSecretsOnlyWhenAllowed() {
    Map<String, String> env = Map.of("PAYMENTS_API_KEY", "from-env");
    try (Config denied = builder(tmp.resolve("none")).environment(env).build();
         Config allowed = builder(tmp.resolve("none")).environment(env).allowEnvironmentSecrets(true).build();
         Config allowedByKey = builder(tmp.resolve("none")).environment(Map.of("PAYMENTS_API_KEY", "from-env", "SECRETS_ALLOW_ENV", "true")).build()) {
      assertThat(denied.findSecret("payments.api-key")).isEmpty();
      assertThat(allowed.secret("payments.api-key").reveal()).isEqualTo("from-env");
      assertThat(allowedByKey.secret("payments.api-key").reveal()).isEqualTo("from-env");
    }
  }

  @Test
  void aMissingSecretNamesWhereItWasExpected() {
    try (Config config = builder(tmp.resolve("none")).build()) {
      assertThatThrownBy(() -> config.secret("payments.api-key"))
          .hasMessageContaining("payments.api-key [not set]: missing secret")
          .hasMessageContaining("env PAYMENTS_API_KEY with secrets.allow-env=true");
    }
  }
}
