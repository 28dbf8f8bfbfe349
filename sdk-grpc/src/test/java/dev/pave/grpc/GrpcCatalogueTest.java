package dev.pave.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.config.Config;
import dev.pave.config.DeclaredKey;
import dev.pave.config.internal.Keys;
import dev.pave.grpc.internal.GrpcConfig;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sdk-grpc's key catalogue is its binding records ({@link GrpcConfig}): docs/grpc.md's key table
 * must list exactly those keys, and every scalar key must bind from an environment variable in its
 * documented form, a system property and application.yaml alike (issue 11).
 */
class GrpcCatalogueTest {

  private static final String CLIENT = "grpc.clients.<name>";
  private static final String SERVER = "grpc.server";

  @TempDir Path tmp;

  /** The catalogue: every key sdk-grpc declares, with {@code <name>} for a client and {@code <entry>} for a map's entries. */
  private static List<DeclaredKey> declared() {
    var keys = new ArrayList<DeclaredKey>();
    keys.add(new DeclaredKey(GrpcConfig.PORT, "int", Optional.of(String.valueOf(GrpcConfig.DEFAULT_PORT)), false));
    keys.addAll(DeclaredKey.of(SERVER, GrpcConfig.ServerKeys.class));
    keys.addAll(DeclaredKey.of(CLIENT, GrpcConfig.ClientKeys.class));
    var out = new ArrayList<DeclaredKey>();
    for (DeclaredKey k : keys) {
      out.add(new DeclaredKey(k.key().replaceAll("\\.<name>$", ".<entry>"), k.type(), k.defaultValue(), k.required()));
    }
    return out;
  }

  /** Declared key to its Java type. */
  private static Map<String, Class<?>> catalogue() {
    var out = new TreeMap<String, Class<?>>();
    for (DeclaredKey k : declared()) {
      out.put(k.key(), switch (k.type()) {
        case "int" -> int.class;
        case "double" -> double.class;
        case "boolean" -> boolean.class;
        case "Duration" -> java.time.Duration.class;
        case "DataSize" -> dev.pave.config.DataSize.class;
        case "String" -> String.class;
        case "Path" -> Path.class;
        case "ClientAuth" -> GrpcTls.ClientAuth.class;
        default -> throw new AssertionError("no sample type for " + k);
      });
    }
    return out;
  }

  private static Class<?> raw(Class<?> type) {
    return type;
  }

  @Test
  void docsKeyTableListsExactlyTheDeclaredKeys() throws Exception {
    var documented = new TreeSet<String>();
    var defaults = new HashMap<String, String>();
    Pattern cell = Pattern.compile("`([^`]+)`");
    for (String line : Files.readAllLines(Path.of("../docs/grpc.md"))) {
      if (!line.startsWith("| `grpc.")) {
        continue;
      }
      String[] cells = line.split("\\|");
      Matcher m = cell.matcher(cells[1]);
      String[] defaultCells = cells[2].trim().split(" / ");
      String base = null;
      int i = 0;
      while (m.find()) {
        String key = m.group(1).replaceAll("\\.<[^>]*>$", ".<entry>");
        if (base == null) {
          base = key;
        } else if (key.startsWith(".")) { // `a.b.time` / `.timeout`: a sibling of the first key
          key = base.substring(0, base.lastIndexOf('.')) + key;
        }
        documented.add(key);
        defaults.put(key, defaultCells[Math.min(i++, defaultCells.length - 1)]);
      }
    }
    assertThat(documented).containsExactlyElementsOf(catalogue().keySet());
    for (DeclaredKey key : declared()) {
      key.defaultValue().ifPresent(value -> assertThat(defaults.get(key.key()))
          .as("default of %s in docs/grpc.md", key.key()).startsWith("`" + value + "`"));
    }
  }

  /** A valid value for {@code key} of {@code type}, different from its default. */
  private static String sample(String key, Class<?> type) {
    if (key.endsWith(".level")) {
      return "WARN";
    }
    if (key.endsWith(".host")) {
      return "127.0.0.7";
    }
    if (key.endsWith(".target")) {
      return "dns:///payments:8080";
    }
    if (key.endsWith(".load-balancing-policy")) {
      return "pick_first";
    }
    if (key.endsWith(".status-codes")) {
      return "ABORTED";
    }
    Class<?> raw = raw(type);
    if (raw == int.class) {
      return "7";
    }
    if (raw == double.class) {
      return "1.5";
    }
    if (raw == boolean.class) {
      return key.endsWith("enabled") ? "false" : "true";
    }
    if (raw == java.time.Duration.class) {
      return "7s";
    }
    if (raw == dev.pave.config.DataSize.class) {
      return "7KiB";
    }
    if (raw == Path.class) {
      return "/etc/pave/tls";
    }
    if (raw == GrpcTls.ClientAuth.class) {
      return "REQUIRE";
    }
    throw new AssertionError("no sample value for " + key + " of " + type);
  }

  @Test
  void everyScalarKeyBindsFromEnvironmentSystemPropertyAndYaml() throws Exception {
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, Class<?>> declared : catalogue().entrySet()) {
      if (declared.getKey().endsWith(".<entry>")) {
        continue; // map entries: docs/config.md's map rule, tested in sdk-config's DirectLookupTest
      }
      String key = declared.getKey().replace("<name>", "payments");
      String value = sample(key, declared.getValue());
      Object expected = Config.builder().override(key, value).build().get(key, raw(declared.getValue()));
      for (String source : List.of("env", "sysprop", "yaml")) {
        Map<String, String> keys = new HashMap<>(Map.of(key, value));
        if (key.startsWith("grpc.clients.") && !key.endsWith(".target")) {
          keys.put("grpc.clients.payments.target", "dns:///payments:8080");
        }
        Config config = config(source, keys);
        Object bound = key.equals("grpc.port") ? config.find(key, Integer.class).orElse(null)
            : key.startsWith(SERVER) ? leaf(config.bind(SERVER, GrpcConfig.ServerKeys.class), key.substring(SERVER.length() + 1))
            : leaf(config.bind("grpc.clients.payments", GrpcConfig.ClientKeys.class),
                key.substring("grpc.clients.payments.".length()));
        assertThat(bound).as("%s from %s", key, source).isEqualTo(expected);
        checked.add(source + " " + key);
      }
    }
    System.out.println("sdk-grpc catalogue: " + checked.size() / 3 + " scalar keys x 3 sources bound ("
        + catalogue().size() + " keys in all, maps included)");
    assertThat(checked).hasSize(3 * (int) catalogue().keySet().stream().filter(k -> !k.endsWith(".<entry>")).count());
  }

  private Config config(String source, Map<String, String> keys) throws Exception {
    var b = Config.builder().configDirectory(tmp.resolve("none")).environment(Map.of()).systemProperties(Map.of());
    var yaml = new StringBuilder();
    switch (source) {
      case "env" -> {
        var env = new HashMap<String, String>();
        keys.forEach((k, v) -> env.put(k.toUpperCase(java.util.Locale.ROOT).replaceAll("[.\\-]", "_"), v));
        b.environment(env);
      }
      case "sysprop" -> b.systemProperties(keys);
      default -> keys.forEach((k, v) -> yaml.append(k).append(": '").append(v).append("'\n"));
    }
    Path cp = Files.createDirectories(tmp.resolve("cp-" + System.nanoTime()));
    Files.writeString(cp.resolve("application.yaml"), yaml);
    return b.classLoader(new URLClassLoader(new URL[] {cp.toUri().toURL()}, null)).build();
  }

  /** The value at {@code path} (kebab segments) in a bound record, Optionals unwrapped. */
  private static Object leaf(Object record, String path) throws Exception {
    Object current = record;
    for (String segment : path.split("\\.")) {
      Object next = null;
      for (RecordComponent c : current.getClass().getRecordComponents()) {
        if (Keys.kebab(c.getName()).equals(segment)) {
          next = c.getAccessor().invoke(current);
        }
      }
      if (next instanceof Optional<?> o) {
        next = o.orElse(null);
      }
      if (next == null) {
        return null;
      }
      current = next;
    }
    return current;
  }
}
