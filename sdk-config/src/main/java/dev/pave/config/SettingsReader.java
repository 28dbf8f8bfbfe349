package dev.pave.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads a module's settings key by key and reports every problem at once: a malformed value or
 * one out of range does not stop the reading, it is collected, and {@link #throwIfProblems()}
 * throws one {@link ConfigException} naming each key, its source and what was expected. For
 * settings that are read key by key (with defaults computed from other keys, or maps of levels)
 * rather than bound to a record with {@link Config#bind}. Not thread-safe; one per read.
 *
 * <pre>{@code
 * SettingsReader reader = new SettingsReader(config);
 * Duration drain = reader.read("lifecycle.drain-delay", Duration.class, Duration.ofSeconds(5));
 * reader.check("lifecycle.drain-delay", () -> requireNotNegative(drain));
 * int port = reader.read("admin.port", Integer.class, 8081);
 * reader.throwIfProblems(); // lists both keys if both are wrong
 * }</pre>
 */
public final class SettingsReader {

  private final Config config;
  private final List<ConfigException.Problem> problems = new ArrayList<>();

  /** Reads from {@code config}. */
  public SettingsReader(Config config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The value of {@code key}, or empty when it is unset or malformed (then a problem is kept). */
  public <T> Optional<T> read(String key, Class<T> type) {
    return guard(() -> config.find(key, type)).flatMap(value -> value);
  }

  /** The value of {@code key}, or {@code defaultValue} when it is unset or malformed. */
  public <T> T read(String key, Class<T> type, T defaultValue) {
    return read(key, type).orElse(defaultValue);
  }

  /** Runs a read that may throw {@link ConfigException}; its problems are kept, empty returned. */
  public <T> Optional<T> guard(Supplier<T> read) {
    try {
      return Optional.of(read.get());
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
  }

  /** Runs a check of {@code key}'s value; an {@link IllegalArgumentException} becomes a problem. */
  public void check(String key, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
    }
  }

  /** Keeps a problem with {@code key}, with the source its value came from. */
  public void problem(String key, String message) {
    problems.add(new ConfigException.Problem(key, sourceOf(key), message));
  }

  /** Whether any problem was kept. */
  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  /**
   * Throws one exception listing every problem kept, if any.
   *
   * @throws ConfigException listing every problem
   */
  public void throwIfProblems() {
    if (!problems.isEmpty()) {
      throw new ConfigException(List.copyOf(problems));
    }
  }

  private String sourceOf(String key) {
    // Looked up directly: a key set only by env or -D is in no listing, yet has a source.
    try {
      return config.entry(key).map(ConfigEntry::source).orElse(ConfigException.NO_SOURCE);
    } catch (ConfigException e) {
      return ConfigException.NO_SOURCE;
    }
  }
}
