package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.config.internal.AgeFiles;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interop with the real {@code age} and {@code age-keygen} CLIs (Debian package {@code age}). */
class AgeInteropTest {

  @TempDir Path tmp;

  @Test
  void decryptsAFileThatTheAgeCliEncrypted() throws Exception {
    Path identity = tmp.resolve("home/.config/pave/age-identity.txt");
    String recipient = Fixtures.ageKeygen(identity);
    Path secrets = tmp.resolve("secrets.local.age");
    Fixtures.ageEncrypt(recipient, "# local development secrets\npayments.api-key = sk_test_123\ndb.password=p=w\n", secrets);

    try (Config config = Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .configDirectory(tmp.resolve("none"))
        .secretsDirectory(tmp.resolve("no-volume"))
        .localSecretsFile(secrets)
        .systemProperties(Map.of("user.home", tmp.resolve("home").toString()))
        .build()) {
      assertThat(config.secret("payments.api-key").reveal()).isEqualTo("sk_test_123");
      assertThat(config.secret("db.password").reveal()).isEqualTo("p=w");
      assertThat(config.entries()).filteredOn(ConfigEntry::secret).extracting(ConfigEntry::source)
          .containsOnly("file " + secrets.toAbsolutePath());
    }
  }

  @Test
  void identityLocationComesFromPaveAgeIdentityFileAndYamlSecretsWork() throws Exception {
    Path identity = tmp.resolve("elsewhere/id.txt");
    String recipient = Fixtures.ageKeygen(identity);
    Path secrets = tmp.resolve("secrets.local.yaml.age");
    Fixtures.ageEncrypt(recipient, "payments:\n  api-key: sk_yaml\n", secrets);

    try (Config config = Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .configDirectory(tmp.resolve("none"))
        .secretsDirectory(tmp.resolve("no-volume"))
        .environment(Map.of("PAVE_AGE_IDENTITY_FILE", identity.toString(), "SECRETS_LOCAL_FILE", secrets.toString()))
        .build()) {
      assertThat(config.secret("payments.api-key").reveal()).isEqualTo("sk_yaml");
    }
  }

  @Test
  void theAgeCliDecryptsWhatPaveEncrypted() throws Exception {
    Path identity = tmp.resolve("id.txt");
    String recipient = Fixtures.ageKeygen(identity);
    Path encrypted = tmp.resolve("from-pave.age");
    try (OutputStream out = Files.newOutputStream(encrypted)) {
      AgeFiles.encrypt("payments.api-key=from-jagged\n".getBytes(StandardCharsets.UTF_8), List.of(recipient), out);
    }

    String decrypted = Fixtures.run(List.of("age", "-d", "-i", identity.toString(), encrypted.toString()));

    assertThat(decrypted).isEqualTo("payments.api-key=from-jagged\n");
  }

  @Test
  void decryptsAnArmoredFile() throws Exception {
    Path identity = tmp.resolve("id.txt");
    String recipient = Fixtures.ageKeygen(identity);
    Path plain = tmp.resolve("plain.txt");
    Files.writeString(plain, "k=armored\n");
    Path secrets = tmp.resolve("secrets.local.age");
    Fixtures.run(List.of("age", "-a", "-r", recipient, "-o", secrets.toString(), plain.toString()));

    try (Config config = Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .configDirectory(tmp.resolve("none"))
        .secretsDirectory(tmp.resolve("no-volume"))
        .localSecretsFile(secrets)
        .ageIdentityFile(identity)
        .build()) {
      assertThat(config.secret("k").reveal()).isEqualTo("armored");
    }
  }
}
