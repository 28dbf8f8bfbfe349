package dev.pave.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.config.Config;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sdk-core's key catalogue is {@link CoreSettings}' key constants: docs/core.md's key table must
 * list exactly those keys, and every key must take effect from an environment variable in its
 * documented form, a system property and application.yaml alike (issue 11).
 */
class CoreCatalogueTest {

  @TempDir Path tmp;

  private static TreeSet<String> declared() throws IllegalAccessException {
    var keys = new TreeSet<String>();
    for (Field field : CoreSettings.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
          && !field.getName().startsWith("DEFAULT_")) {
        keys.add((String) field.get(null));
      }
    }
    return keys;
  }

  @Test
  void docsKeyTableListsExactlyTheDeclaredKeys() throws Exception {
    var documented = new TreeSet<String>();
    for (String line : Files.readAllLines(Path.of("../docs/core.md"))) {
      if (line.matches("\\| `(lifecycle|admin|health)\\..*")) {
        documented.add(line.substring(3, line.indexOf('`', 3)));
      }
    }
    assertThat(documented).containsExactlyElementsOf(declared());
  }

  private static final Map<String, String> SAMPLES = Map.of(
      "admin.host", "127.0.0.7", "admin.port", "7", "admin.expose-config", "true",
      "admin.loglevel.enabled", "true", "lifecycle.exit-when-ready", "true");

  @Test
  void everyKeyTakesEffectFromEnvironmentSystemPropertyAndYaml() throws Exception {
    CoreSettings defaults = CoreSettings.from(Config.builder().build());
    int checked = 0;
    for (String key : declared()) {
      String value = SAMPLES.getOrDefault(key, "7s");
      CoreSettings expected = CoreSettings.from(Config.builder().override(key, value).build());
      assertThat(expected).as("the sample value of %s differs from its default", key).isNotEqualTo(defaults);
      for (String source : new String[] {"env", "sysprop", "yaml"}) {
        assertThat(CoreSettings.from(config(source, key, value))).as("%s from %s", key, source).isEqualTo(expected);
        checked++;
      }
    }
    System.out.println("sdk-core catalogue: " + declared().size() + " keys x 3 sources = " + checked + " bindings");
    assertThat(checked).isEqualTo(3 * declared().size());
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
