package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation against a reproduction of the kubelet atomic-writer layout in a temp directory. */
class RotationTest {

  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @TempDir Path tmp;

  private Config config(Path volume, Duration interval) {
    return Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .configDirectory(tmp.resolve("none"))
        .secretsDirectory(volume)
        .localSecretsFile(tmp.resolve("absent.age"))
        .secretRefreshInterval(interval)
        .build();
  }

  @Test
  void swappingDataCallsListenersOnceWithTheNewValueAndABrokenUpdateKeepsTheOldOne() throws IOException {
    Path volume = tmp.resolve("secrets");
    Fixtures.kubeletWrite(volume, "2026_11_27_10_00_00.1", Map.of("payments.api-key", "v1\n", "db.password", "p1\n"));

    try (LogCapture logs = new LogCapture(); Config config = config(volume, Duration.ofMillis(100))) {
      var apiKeys = new CopyOnWriteArrayList<String>();
      var passwords = new CopyOnWriteArrayList<String>();
      config.onSecretChange("payments.api-key", s -> apiKeys.add(s.reveal()));
      config.onSecretChange("db.password", s -> passwords.add(s.reveal()));
      assertThat(config.secret("payments.api-key").reveal()).isEqualTo("v1");

      // 1. The kubelet swaps ..data: the changed key fires once, the unchanged one not at all.
      Fixtures.kubeletWrite(volume, "2026_11_27_10_01_00.2", Map.of("payments.api-key", "v2\n", "db.password", "p1\n"));
      await().atMost(DEADLINE).until(() -> apiKeys.equals(List.of("v2")));
      assertThat(config.secret("payments.api-key").reveal()).isEqualTo("v2");

      // A later, unrelated rotation proves the watcher kept running without firing v2 again.
      Fixtures.kubeletWrite(volume, "2026_11_27_10_02_00.3", Map.of("payments.api-key", "v2\n", "db.password", "p2\n"));
      await().atMost(DEADLINE).until(() -> passwords.equals(List.of("p2")));
      assertThat(apiKeys).containsExactly("v2");

      // 2. A half-written update: ..data points at a payload without the key (dangling link).
      Path broken = Files.createDirectory(volume.resolve("..2026_11_27_10_03_00.4"));
      Files.writeString(broken.resolve("db.password"), "p2\n");
      Fixtures.swapData(volume, "2026_11_27_10_03_00.4");
      await().atMost(DEADLINE).until(() -> logs.lines().stream()
          .anyMatch(l -> l.startsWith("WARN") && l.contains("secret 'payments.api-key'") && l.contains("keeping the previous value")));
      assertThat(config.secret("payments.api-key").reveal()).isEqualTo("v2");
      assertThat(apiKeys).containsExactly("v2");

      // 3. An update where the key became a directory is broken too.
      Path dirUpdate = Files.createDirectory(volume.resolve("..2026_11_27_10_04_00.5"));
      Files.writeString(dirUpdate.resolve("db.password"), "p2\n");
      Files.createDirectory(dirUpdate.resolve("payments.api-key"));
      Fixtures.swapData(volume, "2026_11_27_10_04_00.5");
      await().atMost(DEADLINE).until(() -> logs.lines().stream()
          .anyMatch(l -> l.startsWith("WARN") && l.contains("secret 'payments.api-key'") && l.contains("is a directory")));
      assertThat(config.secret("payments.api-key").reveal()).isEqualTo("v2");
      // 4. Then a good update recovers and fires once.
      Fixtures.kubeletWrite(volume, "2026_11_27_10_05_00.6", Map.of("payments.api-key", "v3\n", "db.password", "p2\n"));
      await().atMost(DEADLINE).until(() -> apiKeys.equals(List.of("v2", "v3")));
      assertThat(config.secret("payments.api-key").reveal()).isEqualTo("v3");
      assertThat(passwords).containsExactly("p2");

      assertThat(logs.lines()).noneMatch(l -> l.contains("v1") || l.contains("v2") || l.contains("v3"));
    }
  }

  @Test
  void pollingAloneNoticesAChangeWithinTheInterval() throws IOException {
    // Rewrite the visible file in place (no directory event on the volume itself): only the
    // periodic re-read can see it.
    Path volume = tmp.resolve("plain");
    Files.createDirectories(volume);
    Path sub = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(sub.resolve("token"), "t1");
    Files.createSymbolicLink(volume.resolve("token"), sub.resolve("token"));

    try (Config config = config(volume, Duration.ofMillis(100))) {
      var tokens = new CopyOnWriteArrayList<String>();
      config.onSecretChange("token", s -> tokens.add(s.reveal()));
      Files.writeString(sub.resolve("token"), "t2");
      await().atMost(DEADLINE).until(() -> tokens.equals(List.of("t2")));
    }
  }

  @Test
  void aClosedSubscriptionIsNotCalled() throws IOException {
    Path volume = tmp.resolve("secrets");
    Fixtures.kubeletWrite(volume, "1", Map.of("a", "1", "b", "1"));
    try (Config config = config(volume, Duration.ofMillis(100))) {
      var as = new CopyOnWriteArrayList<String>();
      var bs = new CopyOnWriteArrayList<String>();
      Subscription subscription = config.onSecretChange("a", s -> as.add(s.reveal()));
      config.onSecretChange("b", s -> bs.add(s.reveal()));
      subscription.close();
      Fixtures.kubeletWrite(volume, "2", Map.of("a", "2", "b", "2"));
      await().atMost(DEADLINE).until(() -> bs.equals(List.of("2")));
      assertThat(config.secret("a").reveal()).isEqualTo("2");
      assertThat(as).isEmpty();
    }
  }
}
