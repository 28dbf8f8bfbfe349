package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing bind that involves secrets from every source: no secret plaintext may appear in any
 * log line, exception message or stack trace, provenance dump, or toString.
 */
class RedactionTest {

  private static final String VOLUME_SECRET = "vol-PLAINTEXT-1";
  private static final String AGE_SECRET = "age-PLAINTEXT-2";
  private static final String ENV_SECRET = "env-PLAINTEXT-3";
  private static final String PLAIN_CONFIG_SECRET = "yaml-PLAINTEXT-4";
  private static final String SENSITIVE_VALUE = "pw-PLAINTEXT-5";
  private static final String ROTATED_SECRET = "rot-PLAINTEXT-6";
  private static final List<String> ALL = List.of(VOLUME_SECRET, AGE_SECRET, ENV_SECRET, PLAIN_CONFIG_SECRET,
      SENSITIVE_VALUE, ROTATED_SECRET);

  record Db(Secret password, int port) {}

  record Payments(Secret apiKey, Secret webhookSecret, Secret envToken, Db db, Duration timeout, String dbPassword) {}

  @TempDir Path tmp;

  @Test
  void noSecretPlaintextAppearsInLogsExceptionsOrProvenance() throws Exception {
    Path volume = tmp.resolve("secrets");
    Fixtures.kubeletWrite(volume, "1", Map.of("payments.api-key", VOLUME_SECRET + "\n"));
    Path identity = tmp.resolve("id.txt");
    String recipient = Fixtures.ageKeygen(identity);
    Path ageFile = tmp.resolve("secrets.local.age");
    Fixtures.ageEncrypt(recipient, "payments.db.password=" + AGE_SECRET + "\n", ageFile);
    ClassLoader cp = Fixtures.classpath(tmp.resolve("cp"), Map.of("application.yaml",
        "payments:\n  webhook-secret: " + PLAIN_CONFIG_SECRET + "\n  db:\n    port: not-a-port\n  timeout: 5 eons\n"
            + "  db-password: " + SENSITIVE_VALUE + "\n"));

    var evidence = new ArrayList<String>();
    try (LogCapture logs = new LogCapture();
         Config config = Config.builder()
             .classLoader(cp)
             .configDirectory(tmp.resolve("none"))
             .secretsDirectory(volume)
             .localSecretsFile(ageFile)
             .ageIdentityFile(identity)
             .environment(Map.of("PAYMENTS_ENV_TOKEN", ENV_SECRET, "SECRETS_ALLOW_ENV", "true"))
             .secretRefreshInterval(Duration.ofMillis(100))
             .build()) {
      Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> config.bind("payments", Payments.class));
      assertThat(failure).isInstanceOf(ConfigException.class);
      var problems = ((ConfigException) failure).problems();
      assertThat(problems).extracting(ConfigException.Problem::key)
          .contains("payments.webhook-secret", "payments.db.port", "payments.timeout");
      evidence.add(failure.getMessage());
      evidence.add(failure.toString());
      evidence.add(stackTrace(failure));
      problems.forEach(p -> evidence.add(p.toString()));

      // The secrets were really loaded, so masking is what keeps them out.
      assertThat(config.secret("payments.api-key").reveal()).isEqualTo(VOLUME_SECRET);
      assertThat(config.secret("payments.db.password").reveal()).isEqualTo(AGE_SECRET);
      assertThat(config.secret("payments.env-token").reveal()).isEqualTo(ENV_SECRET);
      assertThatThrownBy(() -> config.get("payments.db-password", Integer.class)).satisfies(e -> evidence.add(e.getMessage()));

      // A rotation with a broken update logs about the key only.
      config.onSecretChange("payments.api-key", s -> { });
      Fixtures.kubeletWrite(volume, "2", Map.of("payments.api-key", ROTATED_SECRET));
      await().atMost(Duration.ofSeconds(10)).until(() -> config.secret("payments.api-key").reveal().equals(ROTATED_SECRET));
      Files.createDirectory(volume.resolve("..3"));
      Fixtures.swapData(volume, "3");
      await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().stream().anyMatch(l -> l.contains("keeping the previous value")));

      evidence.add(config.entries().toString());
      evidence.add(config.toString());
      evidence.add(config.secret("payments.api-key").toString());
      evidence.add(config.subtree("payments").toString());
      evidence.addAll(logs.lines());
      assertThat(logs.lines()).isNotEmpty();
    }

    for (String line : evidence) {
      for (String secret : ALL) {
        assertThat(line).as("evidence line must not contain a secret").doesNotContain(secret);
      }
    }
    assertThat(String.join("\n", evidence)).contains("******");
  }

  private static String stackTrace(Throwable t) {
    var out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
