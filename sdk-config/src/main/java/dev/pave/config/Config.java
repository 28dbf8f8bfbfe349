package dev.pave.config;

import dev.pave.config.internal.ConfigState;
import dev.pave.config.internal.Conversions;
import dev.pave.config.internal.Keys;
import dev.pave.config.internal.Loader;
import dev.pave.config.internal.RawValue;
import dev.pave.config.internal.RecordBinder;
import dev.pave.config.internal.SecretStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A service's configuration: an immutable snapshot of non-secret values and a live secret store.
 *
 * <p>Sources, highest precedence first: overrides (tests), Java system properties, environment
 * variables ({@code PAYMENTS_DB_URL} binds {@code payments.db.url}), config directories
 * (default {@value ConfigBuilder#DEFAULT_CONFIG_DIRECTORY}: one file per key plus
 * {@code application.yaml}/{@code .properties}), {@code application-<env>.yaml} on the classpath,
 * {@code application.yaml} on the classpath, defaults in code. Values may use placeholders
 * {@code ${key}} and {@code ${key:default}}.
 *
 * <p>Secrets (see {@link Secret}) come only from secret sources, loaded on first secret access:
 * the Kubernetes secret volume (default {@value ConfigBuilder#DEFAULT_SECRETS_DIRECTORY}), the
 * age-encrypted local file (default {@value ConfigBuilder#DEFAULT_LOCAL_SECRETS_FILE}), and
 * environment variables only with {@code secrets.allow-env=true}. Volume secrets rotate.
 *
 * <p>Thread-safe. Reading a bound record is plain field access; {@link #get(String, Class)}
 * converts on each call, so bind once at startup for hot paths.
 */
public final class Config implements AutoCloseable {

  private final ConfigState state;
  private final SecretStore secrets;

  private Config(ConfigState state, SecretStore secrets) {
    this.state = state;
    this.secrets = secrets;
  }

  /**
   * Loads the standard sources of the running process: system properties, the environment,
   * {@code config.dirs}, the thread context class loader's {@code application.yaml}, and the
   * secret locations from their keys. Each call loads afresh.
   *
   * @throws ConfigException listing every problem found
   */
  public static Config load() {
    return builder().processSources().build();
  }

  /** Returns a builder for a configuration from explicit sources. */
  public static ConfigBuilder builder() {
    return new ConfigBuilder();
  }

  static Config create(ConfigBuilder b) {
    var spec = new Loader.Spec(Map.copyOf(b.defaults), Map.copyOf(b.overrides), Map.copyOf(b.environment),
        Map.copyOf(b.systemProperties), List.copyOf(b.configDirectories), b.classLoader, b.environmentName,
        b.secretsDirectory, b.localSecretsFile, b.ageIdentityFile, Map.copyOf(b.secrets), b.allowEnvironmentSecrets,
        b.secretRefreshInterval, ConfigBuilder.DEFAULT_CONFIG_DIRECTORY, ConfigBuilder.DEFAULT_SECRETS_DIRECTORY,
        ConfigBuilder.DEFAULT_LOCAL_SECRETS_FILE, ConfigBuilder.AGE_IDENTITY_ENV, ConfigBuilder.DEFAULT_AGE_IDENTITY_FILE,
        ConfigBuilder.DEFAULT_SECRET_REFRESH_INTERVAL, b.noMachineFiles);
    Loader.Result result = Loader.load(spec);
    return new Config(result.state(), new SecretStore(result.secrets()));
  }

  /**
   * Returns the required value of {@code key} converted to {@code type}: {@code String},
   * {@code int}/{@code Integer}, {@code long}, {@code double}, {@code boolean}, an enum,
   * {@link Duration} ({@code 250ms}, {@code 5s}, {@code 1m}, {@code PT5S}), {@link DataSize}
   * ({@code 512KiB}), {@link java.net.URI}, {@link java.nio.file.Path}, or a record (bound as by
   * {@link #bind(String, Class)}).
   *
   * @throws ConfigException naming the key, its source and the expected form if the key is
   *     missing or malformed
   */
  public <T> T get(String key, Class<T> type) {
    return find(key, type).orElseThrow(() -> new ConfigException(List.of(RecordBinder.missing(key, type))));
  }

  /**
   * Returns the value of {@code key}, or {@code defaultValue} if no source sets it.
   *
   * @throws ConfigException if the key is set but malformed
   */
  public <T> T get(String key, Class<T> type, T defaultValue) {
    return find(key, type).orElse(defaultValue);
  }

  /**
   * Returns the value of {@code key}, or empty if no source sets it.
   *
   * @throws ConfigException if the key is set but malformed
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <T> Optional<T> find(String key, Class<T> type) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    if (type == Secret.class) {
      return (Optional<T>) findSecret(key);
    }
    if (type.isRecord()) {
      return RecordBinder.present(state, secrets::find, key, type) ? Optional.of(type.cast(bind(key, (Class) type))) : Optional.empty();
    }
    Optional<RawValue> value = state.value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Conversions.convert(value.get().value(), type));
    } catch (Conversions.InvalidValue e) {
      throw new ConfigException(List.of(RecordBinder.invalid(key, value.get(), e)));
    }
  }

  /** Returns the required string value of {@code key}; see {@link #get(String, Class)}. */
  public String get(String key) {
    return get(key, String.class);
  }

  /**
   * Returns the list at {@code key}: comma-separated text ({@code a, b}) or indexed keys
   * ({@code key[0]}, {@code key[1]}, YAML sequences) from the highest source that defines it;
   * empty if no source does.
   *
   * @throws ConfigException listing every element that does not convert
   */
  public <T> List<T> getList(String key, Class<T> elementType) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(elementType, "elementType");
    var problems = new ArrayList<ConfigException.Problem>();
    var out = new ArrayList<T>();
    for (RawValue value : state.list(key).orElse(List.of())) {
      try {
        out.add(Conversions.convert(value.value(), elementType));
      } catch (Conversions.InvalidValue e) {
        problems.add(RecordBinder.invalid(key, value, e));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return List.copyOf(out);
  }

  /**
   * Returns the map at {@code key}: its entries are the keys under it, relative to it, sorted
   * ({@code getMap("logging.level", String.class)} gives {@code {"com.example.Foo": "DEBUG"}}).
   * Entries come from files, overrides and system properties with their exact names; an
   * environment variable overrides an entry another source names by the entry's exact environment
   * form, and adds an entry only when the rest of its name is a single word of letters and digits
   * ({@code LOGGING_LEVEL_ROOT} is entry {@code root}). Any other variable under the key is an
   * error: its name has lost the entry's dots, dashes, slashes and case, and is never guessed.
   *
   * @throws ConfigException listing every value that does not convert and every variable that
   *     cannot be mapped to one entry
   */
  public <T> Map<String, T> getMap(String key, Class<T> valueType) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(valueType, "valueType");
    var problems = new ArrayList<ConfigException.Problem>();
    var out = new TreeMap<String, T>();
    state.mapEntries(key, null, problems).forEach((name, value) -> {
      try {
        out.put(name, Conversions.convert(value.value(), valueType));
      } catch (Conversions.InvalidValue e) {
        problems.add(RecordBinder.invalid(Keys.join(key, name), value, e));
      }
    });
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns the effective entry of {@code key} (value and source, masked as in
   * {@link #entries()}), looked up directly in every source, or empty if no non-secret source
   * sets it.
   *
   * @throws ConfigException if a placeholder in the value cannot be resolved
   */
  public Optional<ConfigEntry> entry(String key) {
    Objects.requireNonNull(key, "key");
    return state.value(key).map(value -> {
      boolean masked = masked(key, value);
      return new ConfigEntry(key, masked ? Secret.MASK : value.value(), value.source(), masked);
    });
  }

  /**
   * Returns the effective non-secret values under {@code prefix}, keys relative to it, sorted:
   * {@code subtree("logging.level")} gives {@code {"com.example": "DEBUG", "root": "INFO"}}.
   * Keys held as secrets and keys named like credentials (see {@link #entries()}) are left out.
   */
  public Map<String, String> subtree(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    var out = new TreeMap<String, String>();
    state.subtree(prefix).forEach((k, v) -> {
      if (!masked(Keys.join(prefix, k), v)) {
        out.put(k, v.value());
      }
    });
    return Collections.unmodifiableMap(out);
  }

  private boolean masked(String key, RawValue value) {
    // By name and by value (security report D12): a webhook URL with a password, a Bearer token
    // or an API key under a harmless name is masked too.
    return Keys.isSensitive(key) || secrets.isKnownSecret(key) || secrets.isSecretSource(value.source())
        || Credentials.looksLikeCredential(value.value());
  }

  /**
   * Binds the keys under {@code prefix} onto a record: component {@code drainDelay} reads
   * {@code <prefix>.drain-delay}. Supported components: the scalar types of
   * {@link #get(String, Class)}, {@link Secret} (from secret sources only), nested records,
   * {@code Optional<T>} (empty when unset), {@code List<T>} (empty when unset),
   * {@code Map<String, T>}; {@link DefaultValue} gives a default. A key under the prefix that no
   * component reads is an error (environment variables and system properties excepted).
   *
   * @throws ConfigException listing every missing, malformed and unknown key at once
   */
  public <R extends Record> R bind(String prefix, Class<R> recordType) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(recordType, "recordType");
    return RecordBinder.bind(state, secrets::find, prefix, recordType);
  }

  /**
   * Binds {@code recordType} against no source at all: every component takes its
   * {@link DefaultValue}, every {@code Optional} is empty, every map and list empty. The values a
   * settings record documents as its defaults, computed from the one place they are declared.
   *
   * @throws ConfigException if a component is required (no default, not optional), or the
   *     record's constructor rejects its defaults
   */
  public static <R extends Record> R defaults(Class<R> recordType) {
    Objects.requireNonNull(recordType, "recordType");
    var empty = new ConfigState(Map.of(), Map.of(), Map.of(), List.of());
    empty.resolveAll(new ArrayList<>());
    return RecordBinder.bind(empty, key -> Optional.empty(), recordType.getSimpleName(), recordType);
  }

  /**
   * Returns the current value of the secret {@code key}.
   *
   * @throws ConfigException if no secret source holds it, or a secret source is broken
   */
  public Secret secret(String key) {
    return findSecret(key).orElseThrow(() -> ConfigException.of(key, ConfigException.NO_SOURCE,
        // No "key=..." in the hint: log redaction would mask it as if it were a value.
        "missing secret; expected a file '" + key + "' in the secret volume, a line with the key '" + key
            + "' and its value in the age-encrypted local file, or env " + Keys.envForm(key)
            + " with secrets.allow-env=true"));
  }

  /**
   * Returns the current value of the secret {@code key}, or empty.
   *
   * @throws ConfigException if a secret source is broken
   */
  public Optional<Secret> findSecret(String key) {
    Objects.requireNonNull(key, "key");
    return secrets.find(key).map(SecretStore.Entry::secret);
  }

  /**
   * Calls {@code listener} once with the new value each time the secret {@code key} changes in
   * the secret volume (checked on file-system events and at least every
   * {@code secrets.refresh-interval}, default {@value ConfigBuilder#DEFAULT_SECRET_REFRESH_SECONDS}
   * s). Listeners run on the watcher thread and should return quickly. A broken update keeps the
   * previous value and logs a warning that names the key, never the value.
   */
  public Subscription onSecretChange(String key, Consumer<Secret> listener) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(listener, "listener");
    return secrets.subscribe(key, listener);
  }

  /**
   * Returns the provenance of every effective key, sorted by key: value and source. The keys are
   * those the files, defaults and overrides define, plus every key read so far by
   * {@link #get(String, Class)}, {@link #find}, {@link #getList}, {@link #getMap} and
   * {@link #bind} from any source (so a key set only by an environment variable is listed under its
   * declared name once read, and a {@link DefaultValue} that was used is listed with source
   * {@code @DefaultValue on Type.component}). Secrets (once loaded) and keys named like credentials
   * ({@code *password}, {@code *secret}, {@code *token}, {@code *api-key}...) show
   * {@value Secret#MASK}. Listing never loads the secret store.
   */
  public List<ConfigEntry> entries() {
    Map<String, RawValue> effective = new java.util.HashMap<>(state.read());
    effective.putAll(state.effective());
    Map<String, ConfigEntry> secretEntries = secrets.entries();
    // Sorting an array of keys, not a TreeMap: listing runs at startup too, cold.
    var keys = new ArrayList<String>(effective.size() + secretEntries.size());
    keys.addAll(effective.keySet());
    for (String key : secretEntries.keySet()) {
      if (!effective.containsKey(key)) {
        keys.add(key);
      }
    }
    String[] sortedKeys = keys.toArray(new String[0]);
    Arrays.sort(sortedKeys);
    var out = new ConfigEntry[sortedKeys.length];
    for (int i = 0; i < sortedKeys.length; i++) {
      String key = sortedKeys[i];
      ConfigEntry secret = secretEntries.get(key);
      if (secret != null) {
        out[i] = secret;
      } else {
        RawValue value = effective.get(key);
        boolean masked = masked(key, value);
        out[i] = new ConfigEntry(key, masked ? Secret.MASK : value.value(), value.source(), masked);
      }
    }
    return List.of(out);
  }

  /**
   * Fails if a key under one of {@code roots} is set but was never read: an environment variable
   * in a root's environment form ({@code LIFECYCLE_DRAIN_DEALY}), a system property, or a key in
   * a file. Call it once every key under those roots has been read (sdk-core does so at startup
   * for Pave's own roots), so a typo is loud instead of falling back to a default. Kubernetes
   * service-link variables ({@code ADMIN_SERVICE_HOST}) and code defaults are not checked.
   *
   * @throws ConfigException naming every such key with its source and the closest key read
   */
  public void requireAllRead(java.util.Collection<String> roots) {
    Objects.requireNonNull(roots, "roots");
    var problems = new ArrayList<ConfigException.Problem>();
    state.unread(new java.util.LinkedHashSet<>(roots), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Stops the secret rotation watcher. Values stay readable. */
  @Override
  public void close() {
    secrets.close();
  }

  /** Returns a summary without values. */
  @Override
  public String toString() {
    return "Config[" + state.effective().size() + " keys]";
  }
}
