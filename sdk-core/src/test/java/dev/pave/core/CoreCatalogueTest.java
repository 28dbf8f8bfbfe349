package dev.pave.core;

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
import java.util.TreeMap;
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

  /** The catalogue: every key sdk-core's records declare. */
  private static List<DeclaredKey> catalogue() {
    var keys = new ArrayList<DeclaredKey>();
    keys.addAll(DeclaredKey.of(CoreSettings.LIFECYCLE, CoreSettings.Lifecycle.class));
    keys.addAll(DeclaredKey.of(CoreSettings.ADMIN, CoreSettings.Admin.class));
    keys.addAll(DeclaredKey.of(CoreSettings.HEALTH, CoreSettings.Health.class));
    return keys;
  }

  private static TreeSet<String> declared() {
    var keys = new TreeSet<String>();
    catalogue().forEach(k -> keys.add(k.key()));
    return keys;
  }

  @Test
  void docsKeyTableListsExactlyTheDeclaredKeysWithTheirDefaults() throws Exception {
    var documented = new TreeMap<String, String>();
    for (String line : Files.readAllLines(Path.of("../docs/core.md"))) {
      if (line.matches("\\| `(lifecycle|admin|health)\\..*")) {
        String[] cells = line.split("\\|");
        documented.put(cells[1].trim().replace("`", ""), cells[2].trim());
      }
    }
    assertThat(documented.keySet()).containsExactlyElementsOf(declared());
    for (DeclaredKey key : catalogue()) {
      key.defaultValue().ifPresent(value -> assertThat(documented.get(key.key()))
          .as("default of %s in docs/core.md", key.key()).isEqualTo("`" + value + "`"));
    }
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
