package dev.pave.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.config.Config;
import dev.pave.config.DeclaredKey;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sdk-logging's key catalogue is {@link LoggingSettings}' records: docs/logging.md's
 * configuration table must list exactly those keys, and every key must take effect from an
 * environment variable in its documented form, a system property and application.yaml alike
 * (issue 11). {@code logging.level} is a map: its entry {@code root} stands for it here.
 */
class LoggingCatalogueTest {

  @TempDir Path tmp;

  /** Key set in the test, its sample value, and what LoggingSettings makes of it. */
  private record Sample(String key, String value, Function<LoggingSettings, Object> read) {}

  /** The catalogue: every key sdk-logging's records declare, and deployment.environment. */
  private static List<DeclaredKey> declared() {
    var keys = new ArrayList<DeclaredKey>();
    keys.addAll(DeclaredKey.of(LoggingSettings.ROOT, LoggingSettings.Keys.class));
    keys.addAll(DeclaredKey.of(LoggingSettings.SERVICE_ROOT, LoggingSettings.Service.class));
    keys.add(new DeclaredKey(LoggingSettings.KEY_ENVIRONMENT, "String",
        Optional.of(LoggingSettings.DEFAULT_DEPLOYMENT_ENVIRONMENT), false));
    return keys;
  }

  /** For each declared key: the key set in the test, its sample value, and what LoggingSettings makes of it. */
  private static final Map<String, Sample> CATALOGUE = Map.ofEntries(
      Map.entry("logging.format", new Sample("logging.format", "text", LoggingSettings::format)),
      Map.entry("logging.level.<name>", new Sample("logging.level.root", "WARN", s -> s.levels().get("root"))),
      Map.entry("logging.redact.enabled", new Sample("logging.redact.enabled", "false", LoggingSettings::redactionEnabled)),
      Map.entry("logging.redact.patterns", new Sample("logging.redact.patterns", "iban=(\\w+)", LoggingSettings::redactionPatterns)),
      Map.entry("logging.async.queue-size", new Sample("logging.async.queue-size", "1024", LoggingSettings::queueSize)),
      Map.entry("logging.async.warn-wait", new Sample("logging.async.warn-wait", "7s", LoggingSettings::warnWait)),
      Map.entry("logging.exception.max-length", new Sample("logging.exception.max-length", "4096", LoggingSettings::maxStackTraceLength)),
      Map.entry("logging.field.max-length", new Sample("logging.field.max-length", "4096", LoggingSettings::maxFieldLength)),
      Map.entry("logging.shutdown.timeout", new Sample("logging.shutdown.timeout", "7s", LoggingSettings::shutdownTimeout)),
      Map.entry("service.name", new Sample("service.name", "svc7", LoggingSettings::serviceName)),
      Map.entry("service.version", new Sample("service.version", "7.0", LoggingSettings::serviceVersion)),
      Map.entry("deployment.environment", new Sample("deployment.environment", "prod7", LoggingSettings::deploymentEnvironment)));

  @Test
  void theSamplesCoverExactlyTheDeclaredKeys() {
    assertThat(CATALOGUE.keySet()).containsExactlyInAnyOrderElementsOf(declared().stream().map(DeclaredKey::key).toList());
  }

  @Test
  void docsConfigurationTableListsExactlyTheDeclaredKeysWithTheirDefaults() throws Exception {
    var documented = new TreeMap<String, String>();
    boolean inSection = false;
    for (String line : Files.readAllLines(Path.of("../docs/logging.md"))) {
      if (line.startsWith("## ")) {
        inSection = line.equals("## Configuration");
      } else if (inSection && line.startsWith("| `") && !line.startsWith("| `key")) {
        String[] cells = line.split("\\|");
        String key = cells[1].trim().replace("`", "");
        documented.put(key.startsWith("logging.level.") ? "logging.level.<name>" : key, cells[2].trim());
      }
    }
    assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(CATALOGUE.keySet());
    for (DeclaredKey key : declared()) {
      key.defaultValue().ifPresent(value -> assertThat(documented.get(key.key()))
          .as("default of %s in docs/logging.md", key.key()).startsWith("`" + value + "`"));
    }
  }

  @Test
  void everyKeyTakesEffectFromEnvironmentSystemPropertyAndYaml() throws Exception {
    LoggingSettings defaults = LoggingSettings.from(Config.builder().build());
    int checked = 0;
    for (Sample sample : CATALOGUE.values()) {
      Object expected = sample.read().apply(LoggingSettings.from(Config.builder().override(sample.key(), sample.value()).build()));
      assertThat(expected).as("the sample of %s differs from its default", sample.key()).isNotEqualTo(sample.read().apply(defaults));
      for (String source : new String[] {"env", "sysprop", "yaml"}) {
        assertThat(sample.read().apply(LoggingSettings.from(config(source, sample.key(), sample.value()))))
            .as("%s from %s", sample.key(), source).isEqualTo(expected);
        checked++;
      }
    }
    System.out.println("sdk-logging catalogue: " + CATALOGUE.size() + " keys x 3 sources = " + checked + " bindings");
    assertThat(checked).isEqualTo(3 * CATALOGUE.size());
  }

  private Config config(String source, String key, String value) throws Exception {
    var b = Config.builder().configDirectory(tmp.resolve("none"));
    String yaml = "";
    switch (source) {
      case "env" -> b.environment(Map.of(key.toUpperCase(Locale.ROOT).replaceAll("[.\\-]", "_"), value));
      case "sysprop" -> b.systemProperties(new HashMap<>(Map.of(key, value)));
      default -> yaml = key + ": '" + value + "'\n";
    }
    Path cp = Files.createDirectories(tmp.resolve("cp-" + System.nanoTime()));
    Files.writeString(cp.resolve("application.yaml"), yaml);
    return b.classLoader(new URLClassLoader(new URL[] {cp.toUri().toURL()}, null)).build();
  }
}
