package dev.pave.benchmarks.config;

import dev.pave.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.yaml.snakeyaml.Yaml;

/**
 * Loading 500 keys from every non-secret source (defaults 50, classpath application.yaml 100,
 * application-prod.yaml 50, a config directory with 100 per-key files and a 50-key
 * application.yaml, 100 environment variables, 50 system properties), including placeholder
 * resolution and the environment ambiguity check.
 *
 * <p>Peer: {@link #rawReadPeer()} reads and parses the same files with SnakeYAML and
 * {@code Files.readString} and merges them into one map: the I/O and parsing floor that any
 * loader pays. Target: a cold load under 50 ms.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'config.ConfigLoadBenchmark' -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class ConfigLoadBenchmark {

  private Path root;
  private Path classpathDir;
  private Path configDir;
  private ClassLoader classLoader;
  private final Map<String, String> environment = new HashMap<>();
  private final Map<String, String> systemProperties = new HashMap<>();
  private final Map<String, Object> defaults = new HashMap<>();

  @Setup(Level.Trial)
  public void writeSources() throws IOException {
    root = Files.createTempDirectory("pave-config-bench");
    classpathDir = Files.createDirectories(root.resolve("classpath"));
    configDir = Files.createDirectories(root.resolve("config"));
    for (int i = 0; i < 50; i++) {
      defaults.put("svc.defaults.key" + i, "default-" + i);
    }
    var yaml = new StringBuilder("svc:\n  cp:\n");
    for (int i = 0; i < 100; i++) {
      // A tenth of the values use placeholders, as real configuration does.
      yaml.append("    key").append(i).append(": ").append(i % 10 == 0 ? "\"${svc.defaults.key" + (i % 50) + "}-x\"" : "value-" + i).append('\n');
    }
    Files.writeString(classpathDir.resolve("application.yaml"), yaml + "deployment:\n  environment: prod\n");
    var prod = new StringBuilder("svc:\n  prod:\n");
    for (int i = 0; i < 50; i++) {
      prod.append("    key").append(i).append(": ").append(i).append("s\n");
    }
    Files.writeString(classpathDir.resolve("application-prod.yaml"), prod.toString());
    for (int i = 0; i < 100; i++) {
      Files.writeString(configDir.resolve("svc.dir.key" + i), "file-value-" + i + "\n");
    }
    var dirYaml = new StringBuilder("svc:\n  dir-yaml:\n");
    for (int i = 0; i < 50; i++) {
      dirYaml.append("    key").append(i).append(": ").append(i).append('\n');
    }
    Files.writeString(configDir.resolve("application.yaml"), dirYaml.toString());
    for (int i = 0; i < 100; i++) {
      environment.put("SVC_ENV_KEY" + i, "env-" + i);
    }
    for (int i = 0; i < 50; i++) {
      systemProperties.put("svc.sys.key" + i, "sys-" + i);
    }
    classLoader = new URLClassLoader(new URL[] {classpathDir.toUri().toURL()}, null);
  }

  @TearDown(Level.Trial)
  public void deleteSources() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Pave: every source, placeholders, env mapping check. */
  @Benchmark
  public Config paveLoad500Keys() {
    Config config = Config.builder()
        .defaults(defaults)
        .classLoader(classLoader)
        .configDirectory(configDir)
        .environment(environment)
        .systemProperties(systemProperties)
        .secretsDirectory(root.resolve("no-secrets"))
        .build();
    if (config.entries().size() < 500) {
      throw new IllegalStateException("expected 500 keys, got " + config.entries().size());
    }
    return config;
  }

  /** Peer: read and parse the same files into one map, nothing else. */
  @Benchmark
  public Map<String, Object> rawReadPeer() {
    var merged = new HashMap<String, Object>(defaults);
    var yaml = new Yaml();
    try {
      for (String name : new String[] {"application.yaml", "application-prod.yaml"}) {
        try (InputStream in = classLoader.getResource(name).openStream()) {
          merged.put(name, yaml.load(in));
        }
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(configDir)) {
        for (Path entry : entries) {
          String text = Files.readString(entry);
          merged.put(entry.getFileName().toString(),
              entry.getFileName().toString().endsWith(".yaml") ? yaml.load(text) : text.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    merged.putAll(environment);
    merged.putAll(systemProperties);
    return merged;
  }
}
