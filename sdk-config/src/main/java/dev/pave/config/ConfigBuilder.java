package dev.pave.config;

import dev.pave.config.internal.TextSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link Config}. Obtain one with {@link Config#builder()}.
 *
 * <p>A builder starts hermetic for process-wide sources: no environment variables and no system
 * properties unless given with {@link #environment(Map)} and {@link #systemProperties(Map)}
 * ({@link Config#load()} passes the real ones). The classpath, config directories and secret
 * locations use their documented defaults unless set, or none with {@link #noMachineFiles()}. Not thread-safe; {@link #build()} may be
 * called more than once.
 */
public final class ConfigBuilder {

  /** Default config directory (a mounted ConfigMap), key {@code config.dirs}: {@value}. */
  public static final String DEFAULT_CONFIG_DIRECTORY = "/etc/pave/config";
  /** Default secret volume, key {@code secrets.dir}: {@value}. */
  public static final String DEFAULT_SECRETS_DIRECTORY = "/var/run/secrets/pave";
  /** Default age-encrypted local secrets file (relative to the working directory), key {@code secrets.local-file}: {@value}. */
  public static final String DEFAULT_LOCAL_SECRETS_FILE = "secrets.local.age";
  /** Environment variable naming the age identity file: {@value}. */
  public static final String AGE_IDENTITY_ENV = "PAVE_AGE_IDENTITY_FILE";
  /** Default age identity file, relative to the user's home directory: {@value}. */
  public static final String DEFAULT_AGE_IDENTITY_FILE = ".config/pave/age-identity.txt";
  /** Default secret refresh interval in seconds, key {@code secrets.refresh-interval}: {@value}. */
  public static final long DEFAULT_SECRET_REFRESH_SECONDS = 10;
  /** Default secret refresh interval: {@value #DEFAULT_SECRET_REFRESH_SECONDS} seconds. */
  public static final Duration DEFAULT_SECRET_REFRESH_INTERVAL = Duration.ofSeconds(DEFAULT_SECRET_REFRESH_SECONDS);

  final Map<String, String> defaults = new LinkedHashMap<>();
  final Map<String, String> overrides = new LinkedHashMap<>();
  final Map<String, String> environment = new LinkedHashMap<>();
  final Map<String, String> systemProperties = new LinkedHashMap<>();
  final List<Path> configDirectories = new ArrayList<>();
  final Map<String, String> secrets = new LinkedHashMap<>();
  ClassLoader classLoader;
  String environmentName;
  Path secretsDirectory;
  Path localSecretsFile;
  Path ageIdentityFile;
  Boolean allowEnvironmentSecrets;
  Duration secretRefreshInterval;
  boolean noMachineFiles;

  ConfigBuilder() {}

  /**
   * The real process's environment variables and system properties, as they are now (the two
   * sources {@link Config#load()} reads besides the files); replaces any given before. The one
   * place a process's sources are copied: sdk-logging and sdk-core load through it too.
   */
  public ConfigBuilder processSources() {
    Map<String, String> properties = new LinkedHashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      properties.put(name, System.getProperty(name));
    }
    return environment(System.getenv()).systemProperties(properties);
  }

  /**
   * Reads no file of the machine it runs on unless given here: no config directory ({@code
   * config.dirs} and {@value #DEFAULT_CONFIG_DIRECTORY} are not consulted), no secret volume, no
   * age-encrypted local file, no age identity. What remains is the classpath's {@code
   * application*.yaml} and what this builder is given: defaults, overrides, the environment and
   * system-property maps, {@link #secret(String, String)}, and any directory or file set with
   * {@link #configDirectory(Path)}, {@link #secretsDirectory(Path)} or {@link #localSecretsFile(Path)}.
   * For tests and checks that must not depend on the build machine ({@code @PaveTest},
   * {@code ProductionReadiness}).
   */
  public ConfigBuilder noMachineFiles() {
    this.noMachineFiles = true;
    return this;
  }

  /**
   * Adds defaults declared in code, the lowest-precedence source (source {@code default}).
   * Nested maps and lists are flattened ({@code {"a": {"b": 1}}} sets {@code a.b}).
   */
  public ConfigBuilder defaults(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    for (Map.Entry<String, ?> entry : values.entrySet()) {
      defaultValue(entry.getKey(), entry.getValue());
    }
    return this;
  }

  /** Adds one default declared in code; {@code value} is converted with {@code String.valueOf} (maps and lists are flattened). */
  public ConfigBuilder defaultValue(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    TextSources.flatten(key, value, defaults);
    return this;
  }

  /** Sets a value above every other source (source {@code override}); meant for tests. */
  public ConfigBuilder override(String key, String value) {
    overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Uses {@code environment} as the process environment (default: none). */
  public ConfigBuilder environment(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    this.environment.clear();
    this.environment.putAll(environment);
    return this;
  }

  /** Uses {@code properties} as the system properties (default: none). */
  public ConfigBuilder systemProperties(Map<String, String> properties) {
    Objects.requireNonNull(properties, "properties");
    this.systemProperties.clear();
    this.systemProperties.putAll(properties);
    return this;
  }

  /**
   * Adds a config directory; the first added has the highest precedence. When none is added, the
   * comma-separated key {@code config.dirs} is used, default {@value #DEFAULT_CONFIG_DIRECTORY}.
   * A missing directory is skipped.
   */
  public ConfigBuilder configDirectory(Path directory) {
    configDirectories.add(Objects.requireNonNull(directory, "directory"));
    return this;
  }

  /** The class loader for {@code application.yaml} (default: the thread context class loader). */
  public ConfigBuilder classLoader(ClassLoader classLoader) {
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    return this;
  }

  /** Selects {@code application-<name>.yaml} (default: the key {@code deployment.environment}, else none). */
  public ConfigBuilder environmentName(String name) {
    this.environmentName = Objects.requireNonNull(name, "name");
    return this;
  }

  /** The Kubernetes secret volume (default: key {@code secrets.dir}, else {@value #DEFAULT_SECRETS_DIRECTORY}). */
  public ConfigBuilder secretsDirectory(Path directory) {
    this.secretsDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /** The age-encrypted local file (default: key {@code secrets.local-file}, else {@value #DEFAULT_LOCAL_SECRETS_FILE}). */
  public ConfigBuilder localSecretsFile(Path file) {
    this.localSecretsFile = Objects.requireNonNull(file, "file");
    return this;
  }

  /**
   * The age identity used to decrypt the local file (default: env {@value #AGE_IDENTITY_ENV}, else
   * {@code ~/}{@value #DEFAULT_AGE_IDENTITY_FILE}).
   */
  public ConfigBuilder ageIdentityFile(Path file) {
    this.ageIdentityFile = Objects.requireNonNull(file, "file");
    return this;
  }

  /** Adds an in-memory secret with the highest secret precedence (source {@code test}); meant for tests. */
  public ConfigBuilder secret(String key, String value) {
    secrets.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Whether environment variables may hold secrets (default: key {@code secrets.allow-env}, else
   * false: environment variables leak into process listings and crash reports).
   */
  public ConfigBuilder allowEnvironmentSecrets(boolean allow) {
    this.allowEnvironmentSecrets = allow;
    return this;
  }

  /**
   * How often the secret volume is re-read at the latest; file-system events trigger an earlier
   * read where the platform supports them (default: key {@code secrets.refresh-interval}, else
   * {@value #DEFAULT_SECRET_REFRESH_SECONDS} s).
   *
   * @throws IllegalArgumentException if not positive
   */
  public ConfigBuilder secretRefreshInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("secretRefreshInterval must be positive, was " + interval);
    }
    this.secretRefreshInterval = interval;
    return this;
  }

  /**
   * Reads every non-secret source, resolves placeholders and checks the environment mapping.
   * Secrets are loaded later, on first secret access.
   *
   * @throws ConfigException listing every problem found; nothing is kept from a failed build
   */
  public Config build() {
    return Config.create(this);
  }
}
