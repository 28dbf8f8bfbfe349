package dev.pave.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.config.Config;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sdk-logging's key catalogue is {@link LoggingSettings}' key constants: docs/logging.md's
 * configuration table must list exactly those keys, and every key must take effect from an
 * environment variable in its documented form, a system property and application.yaml alike
 * (issue 11). {@code logging.level} is a map: its entry {@code root} stands for it here.
 */
class LoggingCatalogueTest {

  @TempDir Path tmp;

  /** Key set in the test, its sample value, and what LoggingSettings makes of it. */
  private record Sample(String key, String value, Function<LoggingSettings, Object> read) {}

  private static final Map<String, Sample> CATALOGUE = Map.ofEntries(
      Map.entry(LoggingSettings.KEY_FORMAT, new Sample("logging.format", "text", LoggingSettings::format)),
      Map.entry(LoggingSettings.KEY_LEVEL + ".<entry>", new Sample("logging.level.root", "WARN", s -> s.levels().get("root"))),
      Map.entry(LoggingSettings.KEY_REDACT_ENABLED, new Sample("logging.redact.enabled", "false", LoggingSettings::redactionEnabled)),
      Map.entry(LoggingSettings.KEY_REDACT_PATTERNS, new Sample("logging.redact.patterns", "iban=(\\w+)", LoggingSettings::redactionPatterns)),
      Map.entry(LoggingSettings.KEY_QUEUE_SIZE, new Sample("logging.async.queue-size", "1024", LoggingSettings::queueSize)),
      Map.entry(LoggingSettings.KEY_WARN_WAIT, new Sample("logging.async.warn-wait", "7s", LoggingSettings::warnWait)),
      Map.entry(LoggingSettings.KEY_MAX_STACK_TRACE_LENGTH, new Sample("logging.exception.max-length", "4096", LoggingSettings::maxStackTraceLength)),
      Map.entry(LoggingSettings.KEY_SHUTDOWN_TIMEOUT, new Sample("logging.shutdown.timeout", "7s", LoggingSettings::shutdownTimeout)),
      Map.entry(LoggingSettings.KEY_SERVICE_NAME, new Sample("service.name", "svc7", LoggingSettings::serviceName)),
      Map.entry(LoggingSettings.KEY_SERVICE_VERSION, new Sample("service.version", "7.0", LoggingSettings::serviceVersion)),
      Map.entry(LoggingSettings.KEY_ENVIRONMENT, new Sample("deployment.environment", "prod7", LoggingSettings::deploymentEnvironment)));

  @Test
  void docsConfigurationTableListsExactlyTheDeclaredKeys() throws Exception {
    var documented = new TreeSet<String>();
    boolean inSection = false;
    for (String line : Files.readAllLines(Path.of("../docs/logging.md"))) {
      if (line.startsWith("## ")) {
        inSection = line.equals("## Configuration");
      } else if (inSection && line.startsWith("| `") && !line.startsWith("| `key")) {
        documented.add(line.substring(3, line.indexOf('`', 3)).replaceAll("^logging\\.level\\..*", "logging.level.<entry>"));
      }
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(CATALOGUE.keySet());
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
