package dev.pave.config.internal;

import dev.pave.config.ConfigException;
import dev.pave.config.ConfigException.Problem;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the non-secret sources in precedence order and prepares the secret store settings. */
public final class Loader {

  /** What the builder collected. Null fields mean "use the key or the default". */
  public record Spec(Map<String, String> defaults, Map<String, String> overrides, Map<String, String> environment,
      Map<String, String> systemProperties, List<Path> configDirectories, ClassLoader classLoader,
      String environmentName, Path secretsDirectory, Path localSecretsFile, Path ageIdentityFile,
      Map<String, String> testSecrets, Boolean allowEnvironmentSecrets, Duration secretRefreshInterval,
      String defaultConfigDirectory, String defaultSecretsDirectory, String defaultLocalFile,
      String identityEnv, String defaultIdentityFile, Duration defaultRefreshInterval, boolean noMachineFiles) {}

  /** The loaded state and the (not yet loaded) secret store settings. */
  public record Result(ConfigState state, SecretStore.Settings secrets) {}

  private Loader() {}

  /**
   * Loads every non-secret source.
   *
   * @throws ConfigException listing every problem
   */
  public static Result load(Spec spec) {
    var problems = new ArrayList<Problem>();
    var defaults = layer(spec.defaults(), "default");
    ClassLoader loader = spec.classLoader() != null ? spec.classLoader()
        : Optional.ofNullable(Thread.currentThread().getContextClassLoader()).orElse(Loader.class.getClassLoader());
    var files = new ArrayList<ConfigState.Layer>();
    files.add(classpath(loader, "application.yaml", problems));
    files.add(defaults);
    var state = new ConfigState(spec.overrides(), spec.systemProperties(), spec.environment(), files);

    // Config directories: from the builder, else config.dirs from the sources read so far.
    List<Path> dirs = new ArrayList<>(spec.configDirectories());
    if (dirs.isEmpty() && !spec.noMachineFiles()) {
      String listed = rawOr(state, "config.dirs", spec.defaultConfigDirectory());
      for (String dir : listed.split(",")) {
        if (!dir.isBlank()) {
          dirs.add(Path.of(dir.trim()));
        }
      }
    }
    var dirLayers = new ArrayList<ConfigState.Layer>();
    for (Path dir : dirs) {
      dirLayers.addAll(directory(dir, problems));
    }
    for (int i = 0; i < dirLayers.size(); i++) {
      state = state.withFileLayer(i, dirLayers.get(i));
    }
    // application-<env>.yaml sits between the config directories and application.yaml.
    String envName = spec.environmentName() != null ? spec.environmentName()
        : rawOr(state, "deployment.environment", null);
    if (envName != null && !envName.isBlank()) {
      state = state.withFileLayer(dirLayers.size(), classpath(loader, "application-" + envName.trim() + ".yaml", problems));
    }
    state.resolveAll(problems);

    SecretStore.Settings secrets = null;
    if (problems.isEmpty()) {
      secrets = secretSettings(spec, state, problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(ConfigState.distinct(problems));
    }
    return new Result(state, secrets);
  }

  private static SecretStore.Settings secretSettings(Spec spec, ConfigState state, List<Problem> problems) {
    Path dir = spec.secretsDirectory() != null ? spec.secretsDirectory()
        : Path.of(pathSetting(state, "secrets.dir", spec.defaultSecretsDirectory(), problems));
    Path localFile = spec.localSecretsFile() != null ? spec.localSecretsFile()
        : Path.of(pathSetting(state, "secrets.local-file", spec.defaultLocalFile(), problems));
    if (spec.noMachineFiles()) {
      // No such source unless set on the builder. The keys were still read above: checked, and
      // not reported as unknown by requireAllRead.
      dir = spec.secretsDirectory();
      localFile = spec.localSecretsFile();
    }
    boolean allowEnv = spec.allowEnvironmentSecrets() != null ? spec.allowEnvironmentSecrets()
        : setting(state, "secrets.allow-env", Boolean.FALSE, Boolean.class, problems);
    Duration interval = spec.secretRefreshInterval() != null ? spec.secretRefreshInterval()
        : setting(state, "secrets.refresh-interval", spec.defaultRefreshInterval(), Duration.class, problems);
    if (interval.isZero() || interval.isNegative()) {
      Optional<RawValue> set = state.raw("secrets.refresh-interval");
      problems.add(new Problem("secrets.refresh-interval", set.isPresent() ? set.get().source() : "default",
          "expected a positive duration"));
    }
    Path identity = spec.ageIdentityFile();
    if (identity == null && localFile != null) {
      String fromEnv = spec.environment().get(spec.identityEnv());
      String home = spec.systemProperties().getOrDefault("user.home", System.getProperty("user.home"));
      identity = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : Path.of(home).resolve(spec.defaultIdentityFile());
    }
    return new SecretStore.Settings(Map.copyOf(spec.testSecrets()), allowEnv, Map.copyOf(spec.environment()),
        dir, localFile, identity, interval);
  }

  /** The unresolved text of {@code key}, or {@code fallback}. No lambdas: this runs cold, once. */
  private static String rawOr(ConfigState state, String key, String fallback) {
    Optional<RawValue> value = state.raw(key);
    return value.isPresent() ? value.get().value() : fallback;
  }

  /**
   * Reads a whole file as UTF-8 (malformed bytes replaced) through {@code FileInputStream}: for
   * the small files of a config directory, a third the cold cost of {@code Files.readString},
   * whose channel machinery runs interpreted on the first load.
   */
  private static String readUtf8(Path file) throws IOException {
    try (InputStream in = new FileInputStream(file.toFile())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * A path setting; a blank value ({@code SECRETS_DIR=}) means unset, never {@code Path.of("")},
   * which is the working directory.
   */
  private static String pathSetting(ConfigState state, String key, String fallback, List<Problem> problems) {
    String value = setting(state, key, fallback, String.class, problems);
    return value.isBlank() ? fallback : value;
  }

  /**
   * The value of {@code key} as {@code type}, or {@code fallback} when no source sets it (without
   * loading the converters: a cold-start cost) or when it is malformed (reported in
   * {@code problems}).
   */
  private static <T> T setting(ConfigState state, String key, T fallback, Class<T> type, List<Problem> problems) {
    Optional<RawValue> set = state.value(key);
    if (set.isEmpty()) {
      return fallback;
    }
    try {
      return Conversions.convert(set.get().value(), type);
    } catch (Conversions.InvalidValue e) {
      problems.add(RecordBinder.invalid(key, set.get(), e));
      return fallback;
    }
  }

  private static ConfigState.Layer layer(Map<String, String> values, String source) {
    var out = new HashMap<String, RawValue>();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      out.put(entry.getKey(), new RawValue(entry.getValue(), source));
    }
    return new ConfigState.Layer(source, out);
  }

  private static ConfigState.Layer classpath(ClassLoader loader, String name, List<Problem> problems) {
    String source = "classpath:" + name;
    URL url = loader.getResource(name);
    if (url == null) {
      return new ConfigState.Layer(source, Map.of());
    }
    ConfigState.Layer kept = FileSources.kept(url);
    if (kept != null) {
      return kept;
    }
    int problemsBefore = problems.size();
    ConfigState.Layer read = readClasspath(url, name, source, problems);
    FileSources.read(url, read, problems, problemsBefore);
    return read;
  }

  private static ConfigState.Layer readClasspath(URL url, String name, String source, List<Problem> problems) {
    String text;
    try (InputStream in = url.openStream()) {
      text = TextSources.read(in);
    } catch (IOException e) {
      problems.add(new Problem(name, source, "cannot be read (" + e + ")"));
      return new ConfigState.Layer(source, Map.of());
    }
    return layer(TextSources.parseYaml(text, name, source, problems), source);
  }

  /**
   * A config directory yields two layers: the per-key files (higher) and the
   * {@code application.yaml}/{@code .yml}/{@code .properties} inside it (lower).
   */
  private static List<ConfigState.Layer> directory(Path dir, List<Problem> problems) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    String dirSource = "file " + dir.toAbsolutePath();
    if (!Files.isDirectory(dir)) {
      problems.add(new Problem("config.dirs", dirSource, "is not a directory; expected a directory with one file per key"));
      return List.of();
    }
    var perKey = new HashMap<String, RawValue>();
    var embedded = new LinkedHashMap<String, RawValue>();
    String separator = dir.getFileSystem().getSeparator();
    String sourcePrefix = dirSource.endsWith(separator) ? dirSource : dirSource + separator;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        // '..data' and '..<timestamp>' belong to the kubelet's atomic writer; hidden files are not keys.
        if (name.startsWith(".")) {
          continue;
        }
        String source = sourcePrefix + name;
        boolean yaml = name.equals("application.yaml") || name.equals("application.yml");
        boolean properties = name.equals("application.properties");
        String text;
        try {
          // Read first and ask "is it a directory?" only when the read fails: one system call
          // fewer per key on the cold path.
          text = readUtf8(entry);
        } catch (IOException e) {
          problems.add(new Problem(name, source, Files.isDirectory(entry)
              ? "is a directory; expected a regular file holding the value of key '" + name + "'"
              : "cannot be read (" + e.getClass().getSimpleName() + ")"));
          continue;
        }
        if (yaml || properties) {
          Map<String, String> values = yaml ? TextSources.parseYaml(text, name, source, problems)
              : TextSources.parseProperties(text, name, source, problems);
          for (Map.Entry<String, String> value : values.entrySet()) {
            embedded.putIfAbsent(value.getKey(), new RawValue(value.getValue(), source));
          }
        } else {
          perKey.put(name, new RawValue(SecretVolume.stripTrailingNewlines(text), source));
        }
      }
    } catch (IOException e) {
      problems.add(new Problem("config.dirs", dirSource, "cannot be listed (" + e.getClass().getSimpleName() + ")"));
      return List.of();
    }
    return List.of(new ConfigState.Layer(dirSource, perKey), new ConfigState.Layer(dirSource + "/application.*", embedded));
  }
}
