package dev.pave.config.internal;

import dev.pave.config.ConfigEntry;
import dev.pave.config.ConfigException;
import dev.pave.config.ConfigException.Problem;
import dev.pave.config.Secret;
import dev.pave.config.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live secret store. Loaded on first use (so a process that never asks for a secret never
 * reads the age file or the volume). Precedence, highest first: in-memory test secrets,
 * environment variables (only with {@code secrets.allow-env=true}), the secret volume, the
 * age-encrypted local file. Volume secrets rotate: a watcher thread re-reads the volume on a
 * file-system event or every refresh interval, whichever comes first.
 */
public final class SecretStore implements AutoCloseable {

  /**
   * Obtained on first use, not when the class loads: sdk-logging's Logback configurator calls
   * Config.load() while SLF4J is initializing, and a config load that never logs should not pay
   * for (or re-enter) logging initialization.
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(SecretStore.class);
  }

  /** A secret and where it came from. */
  public record Entry(Secret secret, String source) {}

  /**
   * Where secrets come from.
   *
   * @param testSecrets in-memory secrets, source "test"
   * @param allowEnvironment whether environment variables may hold secrets
   * @param environment the process environment (also used for the identity file variable)
   * @param directory the secret volume
   * @param localFile the age-encrypted local file
   * @param identityFile the age identity
   * @param refreshInterval how often the volume is re-read at the latest
   */
  public record Settings(Map<String, String> testSecrets, boolean allowEnvironment, Map<String, String> environment,
      Path directory, Path localFile, Path identityFile, Duration refreshInterval) {}

  private final Settings settings;
  private final Map<String, String> environmentByForm = new HashMap<>();
  private final Map<String, CopyOnWriteArrayList<Consumer<Secret>>> listeners = new ConcurrentHashMap<>();
  /** Keys whose last re-read failed, with the reason: warn once per key and reason, not every tick. */
  private final Map<String, String> warned = new ConcurrentHashMap<>();
  private final Set<String> servedFromEnvironment = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Object lock = new Object();
  private volatile Map<String, Entry> volume;
  private volatile Map<String, Entry> local;
  private Thread watcher;
  private WatchService watchService;

  /** Creates an unloaded store. */
  public SecretStore(Settings settings) {
    this.settings = settings;
    if (settings.allowEnvironment()) {
      for (String name : settings.environment().keySet()) {
        environmentByForm.putIfAbsent(name.toUpperCase(Locale.ROOT), name);
      }
    }
  }

  /**
   * The secret at {@code key}, loading the store on first use.
   *
   * @throws ConfigException if a secret source is broken (nothing is kept from a failed load)
   */
  public Optional<Entry> find(String key) {
    String test = settings.testSecrets().get(key);
    if (test != null) {
      return Optional.of(new Entry(Secret.of(test), "test"));
    }
    if (settings.allowEnvironment()) {
      String name = environmentByForm.get(Keys.envForm(key));
      if (name != null) {
        servedFromEnvironment.add(name);
        return Optional.of(new Entry(Secret.of(settings.environment().get(name)), Keys.ENV_SOURCE_PREFIX + name));
      }
    }
    ensureLoaded();
    Entry entry = volume.get(key);
    if (entry == null) {
      entry = local.get(key);
    }
    return Optional.ofNullable(entry);
  }

  /** Registers a rotation listener for {@code key}, loading the store and starting the watcher. */
  public Subscription subscribe(String key, Consumer<Secret> listener) {
    ensureLoaded();
    var list = listeners.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
    list.add(listener);
    return () -> list.remove(listener);
  }

  /**
   * Provenance of every secret known so far, masked, by key (in no particular order; the caller
   * sorts); empty until the store is loaded.
   */
  public Map<String, ConfigEntry> entries() {
    Map<String, Entry> l = local;
    Map<String, Entry> v = volume;
    if (l == null && v == null && settings.testSecrets().isEmpty()) {
      return Map.of();
    }
    // Loops, not lambdas: Config.entries() may run cold, right after the first load.
    var out = new HashMap<String, ConfigEntry>();
    for (Map<String, Entry> source : Arrays.asList(l, v)) {
      if (source != null) {
        for (Map.Entry<String, Entry> e : source.entrySet()) {
          out.put(e.getKey(), new ConfigEntry(e.getKey(), Secret.MASK, e.getValue().source(), true));
        }
      }
    }
    for (String k : settings.testSecrets().keySet()) {
      out.put(k, new ConfigEntry(k, Secret.MASK, "test", true));
    }
    return out;
  }

  /**
   * Whether a value from {@code source} must be masked because that environment variable has
   * been read as a secret.
   */
  public boolean isSecretSource(String source) {
    return source.startsWith(Keys.ENV_SOURCE_PREFIX)
        && servedFromEnvironment.contains(source.substring(Keys.ENV_SOURCE_PREFIX.length()));
  }

  /** Whether {@code key} is known as a secret without loading anything. */
  public boolean isKnownSecret(String key) {
    Map<String, Entry> v = volume;
    Map<String, Entry> l = local;
    return settings.testSecrets().containsKey(key) || (v != null && v.containsKey(key)) || (l != null && l.containsKey(key));
  }

  private void ensureLoaded() {
    if (volume != null) {
      return;
    }
    synchronized (lock) {
      if (volume != null) {
        return;
      }
      var problems = new ArrayList<Problem>();
      Map<String, Entry> loadedLocal = loadLocal(problems);
      Map<String, Entry> loadedVolume = loadVolume(problems);
      if (!problems.isEmpty()) {
        // Nothing is kept: the next access tries again and reports the same problems.
        throw new ConfigException(problems);
      }
      local = loadedLocal;
      volume = loadedVolume;
      startWatcher();
    }
  }

  private Map<String, Entry> loadVolume(List<Problem> problems) {
    Path dir = settings.directory();
    if (dir == null) {
      return Map.of(); // ConfigBuilder.noMachineFiles()
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      problems.add(new Problem("secrets.dir", "file " + dir.toAbsolutePath(), "is not a directory; expected the secret volume directory"));
      return Map.of();
    }
    Map<String, SecretVolume.Read> reads;
    try {
      reads = SecretVolume.read(dir);
    } catch (IOException e) {
      problems.add(new Problem("secrets.dir", "file " + dir.toAbsolutePath(), "cannot be listed (" + e.getClass().getSimpleName() + ")"));
      return Map.of();
    }
    var out = new HashMap<String, Entry>();
    reads.forEach((key, read) -> {
      String source = "file " + dir.resolve(key).toAbsolutePath();
      if (read.ok()) {
        out.put(key, new Entry(Secret.of(read.value()), source));
      } else {
        problems.add(new Problem(key, source, "secret " + read.error()));
      }
    });
    return Map.copyOf(out);
  }

  private Map<String, Entry> loadLocal(List<Problem> problems) {
    Path file = settings.localFile();
    if (file == null || !Files.exists(file)) {
      return Map.of();
    }
    String source = "file " + file.toAbsolutePath();
    byte[] plain;
    try {
      plain = AgeFiles.decrypt(file, settings.identityFile(), "secrets.local-file");
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return Map.of();
    }
    String text = new String(plain, StandardCharsets.UTF_8);
    Arrays.fill(plain, (byte) 0);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, String> values = name.endsWith(".yaml.age") || name.endsWith(".yml.age")
        ? parseYamlSecrets(text, source, problems)
        : parseLines(text, source, problems);
    var out = new HashMap<String, Entry>();
    values.forEach((k, v) -> out.put(k, new Entry(Secret.of(v), source)));
    return Map.copyOf(out);
  }

  private static Map<String, String> parseYamlSecrets(String text, String source, List<Problem> problems) {
    var yamlProblems = new ArrayList<Problem>();
    Map<String, String> values = TextSources.parseYaml(text, "secrets.local-file", source, yamlProblems);
    if (!yamlProblems.isEmpty()) {
      // The parser's message may quote decrypted content: report only that it is malformed.
      problems.add(new Problem("secrets.local-file", source, "decrypted content is not valid YAML; expected a mapping of keys to values"));
    }
    return values;
  }

  /** {@code key=value} lines; blank lines and lines starting with # are ignored. */
  private static Map<String, String> parseLines(String text, String source, List<Problem> problems) {
    var out = new HashMap<String, String>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        // Never quote the line: it may be a secret.
        problems.add(new Problem("secrets.local-file", source, "decrypted line " + (i + 1) + " is malformed; expected key=value"));
        continue;
      }
      out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
    }
    return out;
  }

  // --- rotation -------------------------------------------------------------------------------

  private void startWatcher() {
    if (settings.directory() == null || !Files.isDirectory(settings.directory())) {
      return;
    }
    try {
      watchService = FileSystems.getDefault().newWatchService();
      settings.directory().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
    } catch (IOException | UnsupportedOperationException e) {
      // Some file systems (network mounts, some container layers) cannot be watched: poll only.
      Log.LOG.debug("cannot watch secret volume {}, polling every {}", settings.directory(), settings.refreshInterval());
      watchService = null;
    }
    // One thread, made here: Pave's thread factory is Micrometer's NamedThreadFactory (sdk-core,
    // sdk-grpc), and sdk-config does not depend on Micrometer for one daemon thread.
    watcher = new Thread(this::watch, "pave-secret-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void watch() {
    long intervalNanos = settings.refreshInterval().toNanos();
    while (closed.getCount() > 0) {
      try {
        if (watchService != null) {
          WatchKey key = watchService.poll(intervalNanos, TimeUnit.NANOSECONDS);
          if (key != null) {
            key.pollEvents();
            key.reset();
          }
        } else if (closed.await(intervalNanos, TimeUnit.NANOSECONDS)) {
          return;
        }
        if (closed.getCount() == 0) {
          return;
        }
        refresh();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        Log.LOG.warn("secret volume refresh failed ({}); will retry", e.getClass().getName());
      }
    }
  }

  /** Re-reads the volume; changed keys are updated and their listeners called once. */
  void refresh() {
    Map<String, SecretVolume.Read> reads;
    try {
      reads = SecretVolume.read(settings.directory());
    } catch (IOException e) {
      Log.LOG.warn("secret volume {} cannot be listed ({}); keeping the previous secrets", settings.directory(), e.getClass().getSimpleName());
      return;
    }
    Map<String, Entry> previous = volume;
    var next = new HashMap<>(previous);
    var changed = new ArrayList<String>();
    var seen = new HashSet<String>();
    reads.forEach((key, read) -> {
      seen.add(key);
      if (!read.ok()) {
        if (!read.error().equals(warned.put(key, read.error()))) {
          Log.LOG.warn("secret '{}' in {} {}; keeping the previous value", key, settings.directory(), read.error());
        }
        return;
      }
      warned.remove(key);
      Entry old = previous.get(key);
      Secret fresh = Secret.of(read.value());
      if (old == null || !old.secret().equals(fresh)) {
        next.put(key, new Entry(fresh, "file " + settings.directory().resolve(key).toAbsolutePath()));
        changed.add(key);
      }
    });
    for (String key : previous.keySet()) {
      if (!seen.contains(key) && !"disappeared".equals(warned.put(key, "disappeared"))) {
        // A key vanishing is what a half-finished swap looks like: keep serving the old value.
        Log.LOG.warn("secret '{}' disappeared from {}; keeping the previous value", key, settings.directory());
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    volume = Map.copyOf(next);
    for (String key : changed) {
      var list = listeners.get(key);
      if (list == null) {
        continue;
      }
      Optional<Entry> effective = find(key);
      if (effective.isEmpty() || !effective.get().source().startsWith("file " + settings.directory())) {
        continue; // a higher-precedence source still wins; its value did not change
      }
      Log.LOG.info("secret '{}' rotated", key);
      for (Consumer<Secret> listener : list) {
        try {
          listener.accept(effective.get().secret());
        } catch (RuntimeException e) {
          Log.LOG.warn("listener for secret '{}' threw {}", key, e.getClass().getName());
        }
      }
    }
  }

  /** Stops the watcher thread. */
  @Override
  public void close() {
    closed.countDown();
    synchronized (lock) {
      if (watchService != null) {
        try {
          watchService.close();
        } catch (IOException e) {
          Log.LOG.debug("closing the secret watch service failed", e);
        }
      }
      if (watcher != null) {
        watcher.interrupt();
      }
    }
  }
}
