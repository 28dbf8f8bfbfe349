package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sdk-config's own keys (docs/config.md, "Well-known keys owned by sdk-config"): the docs table
 * lists exactly these, and each takes effect from an environment variable, a system property and
 * application.yaml alike (issue 11).
 */
class ConfigCatalogueTest {

  @TempDir Path tmp;

  /** Sets {@code key} to a value from {@code source} on a fresh builder, then checks its effect. */
  private interface Check {
    void run(String source) throws Exception;
  }

  private Config build(String source, String key, String value, BiConsumer<ConfigBuilder, StringBuilder> more) throws Exception {
    Path cp = Files.createDirectories(tmp.resolve("cp-" + System.nanoTime()));
    var b = Config.builder();
    var yaml = new StringBuilder();
    more.accept(b, yaml);
    switch (source) {
      case "env" -> {
        var env = new HashMap<>(b.environment);
        env.put(key.toUpperCase(Locale.ROOT).replaceAll("[.\\-]", "_"), value);
        b.environment(env);
      }
      case "sysprop" -> b.systemProperties(Map.of(key, value));
      default -> yaml.append(key).append(": '").append(value).append("'\n");
    }
    Files.writeString(cp.resolve("application.yaml"), yaml);
    Files.writeString(cp.resolve("application-prod7.yaml"), "from-profile: yes\n");
    return b.classLoader(Fixtures.classpath(cp, Map.of())).build();
  }

  private Map<String, Check> catalogue() {
    Path none = tmp.resolve("none");
    return Map.of(
        "config.dirs", source -> {
          Path dir = Files.createDirectories(tmp.resolve("dir-" + source));
          Files.writeString(dir.resolve("from-dir"), "1");
          Config c = build(source, "config.dirs", dir.toString(),
              (b, y) -> b.secretsDirectory(none).localSecretsFile(none));
          assertThat(c.find("from-dir", String.class)).contains("1");
        },
        "deployment.environment", source -> {
          Config c = build(source, "deployment.environment", "prod7",
              (b, y) -> b.configDirectory(none).secretsDirectory(none).localSecretsFile(none));
          assertThat(c.find("from-profile", String.class)).contains("yes");
        },
        "secrets.dir", source -> {
          Path dir = Files.createDirectories(tmp.resolve("secrets-" + source));
          Files.writeString(dir.resolve("svc.token"), "t0ken");
          Config c = build(source, "secrets.dir", dir.toString(), (b, y) -> b.configDirectory(none).localSecretsFile(none));
          assertThat(c.findSecret("svc.token")).isPresent();
        },
        "secrets.allow-env", source -> {
          Config c = build(source, "secrets.allow-env", "true", (b, y) -> b.configDirectory(none).secretsDirectory(none)
              .localSecretsFile(none).environment(Map.of("SVC_TOKEN", "t0ken")));
          assertThat(c.findSecret("svc.token")).isPresent();
        },
        "secrets.local-file", source -> readBy(source, "secrets.local-file", tmp.resolve("local.age").toString(),
            (b, y) -> b.configDirectory(none).secretsDirectory(none)),
        "secrets.refresh-interval", source -> readBy(source, "secrets.refresh-interval", "7s",
            (b, y) -> b.configDirectory(none).secretsDirectory(none).localSecretsFile(none)));
  }

  /** For keys without a cheap outside effect: the loader read the value from that source. */
  private void readBy(String source, String key, String value, BiConsumer<ConfigBuilder, StringBuilder> more) throws Exception {
    Config c = build(source, key, value, more);
    assertThat(c.entries()).filteredOn(e -> e.key().equals(key)).singleElement()
        .satisfies(e -> assertThat(e.value()).isEqualTo(value))
        .satisfies(e -> assertThat(e.source()).startsWith(Map.of("env", "env ", "sysprop", "system property ", "yaml", "classpath:").get(source)));
  }

  @Test
  void docsTableListsExactlyTheCatalogue() throws Exception {
    String docs = Files.readString(Path.of("../docs/config.md"));
    String table = docs.substring(docs.indexOf("## Well-known keys owned by sdk-config"), docs.indexOf("## Errors"));
    var documented = new TreeSet<String>();
    table.lines().filter(l -> l.startsWith("| `")).forEach(l -> documented.add(l.substring(3, l.indexOf('`', 3))));
    assertThat(documented).containsExactlyElementsOf(new TreeSet<>(catalogue().keySet()));
  }

  @Test
  void everyKeyTakesEffectFromEnvironmentSystemPropertyAndYaml() throws Exception {
    int checked = 0;
    for (Map.Entry<String, Check> entry : catalogue().entrySet()) {
      for (String source : List.of("env", "sysprop", "yaml")) {
        try {
          entry.getValue().run(source);
        } catch (AssertionError e) {
          throw new AssertionError(entry.getKey() + " from " + source + ": " + e.getMessage(), e);
        }
        checked++;
      }
    }
    System.out.println("sdk-config catalogue: " + catalogue().size() + " keys x 3 sources = " + checked + " checks");
  }
}
