package dev.pave.logging;

import dev.pave.config.Config;
import dev.pave.config.ConfigException;
import dev.pave.config.SettingsReader;
import dev.pave.logging.internal.KubernetesEnvironment;
import dev.pave.logging.internal.Levels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How Pave logs: output format, logger levels, resource fields, redaction, async queue and
 * shutdown budget. Immutable; build one with {@link #builder()} or read one from configuration
 * with {@link #from(Config)}.
 *
 * <p>Configuration keys (environment variables bind by the usual rule, e.g.
 * {@code LOGGING_LEVEL_COM_EXAMPLE_PAYMENTS=DEBUG} sets {@code logging.level.com.example.payments}):
 *
 * <table>
 *   <caption>Keys read by {@link #from(Config)}</caption>
 *   <tr><th>key</th><th>default</th></tr>
 *   <tr><td>{@code logging.format}</td><td>{@code text} when {@code System.console() != null}, else {@code json}</td></tr>
 *   <tr><td>{@code logging.level.root}</td><td>{@value #DEFAULT_ROOT_LEVEL}</td></tr>
 *   <tr><td>{@code logging.level.<logger>}</td><td>inherited</td></tr>
 *   <tr><td>{@code logging.redact.enabled}</td><td>{@code true}</td></tr>
 *   <tr><td>{@code logging.redact.patterns}</td><td>none (built-in rules only)</td></tr>
 *   <tr><td>{@code logging.async.queue-size}</td><td>{@value #DEFAULT_QUEUE_SIZE} events</td></tr>
 *   <tr><td>{@code logging.async.warn-wait}</td><td>{@value #DEFAULT_WARN_WAIT_MILLIS} ms</td></tr>
 *   <tr><td>{@code logging.exception.max-length}</td><td>{@value #DEFAULT_MAX_STACK_TRACE_LENGTH} characters</td></tr>
 *   <tr><td>{@code logging.shutdown.timeout}</td><td>5 s ({@link #DEFAULT_SHUTDOWN_TIMEOUT})</td></tr>
 *   <tr><td>{@code service.name}</td><td>{@value #DEFAULT_SERVICE_NAME}</td></tr>
 *   <tr><td>{@code service.version}</td><td>{@value #DEFAULT_SERVICE_VERSION}</td></tr>
 *   <tr><td>{@code deployment.environment}</td><td>{@value #DEFAULT_DEPLOYMENT_ENVIRONMENT}</td></tr>
 * </table>
 */
public final class LoggingSettings {

  /** The output format of each log line. */
  public enum Format {
    /** One JSON object per line (production). */
    JSON,
    /** One readable line per event (local development). */
    TEXT
  }

  /** Level of the root logger unless configured. */
  public static final String DEFAULT_ROOT_LEVEL = "INFO";
  /**
   * Capacity of the async queue, in events: enough to absorb a burst of 20,000 ordinary lines in
   * a tight loop with none dropped (docs/logging.md). The queue also holds at most about 16 Mi
   * characters of messages, so its memory stays bounded whatever the lines' size.
   */
  public static final int DEFAULT_QUEUE_SIZE = 32_768;
  /**
   * How long a WARN or ERROR line waits for room in a full queue before it is dropped (and
   * counted), in milliseconds: {@value}. The writer empties a full default queue in a few
   * milliseconds while stdout is read, so a warning is lost only when stdout has stopped for a
   * second; without the bound, such a stdout parked every thread that logged a warning, the
   * shutdown included (security report D5).
   */
  public static final long DEFAULT_WARN_WAIT_MILLIS = 1000;
  /** Cap on {@code exception.stacktrace}, in characters. */
  public static final int DEFAULT_MAX_STACK_TRACE_LENGTH = 16_384;
  /** Smallest accepted stack trace cap, in characters. */
  public static final int MIN_MAX_STACK_TRACE_LENGTH = 256;
  /** Time Pave's own shutdown hook gives the queue to drain. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  /** {@code service.name} when unset, as the OpenTelemetry resource conventions say. */
  public static final String DEFAULT_SERVICE_NAME = "unknown_service:java";
  /** {@code service.version} when unset. */
  public static final String DEFAULT_SERVICE_VERSION = "unknown";
  /** {@code deployment.environment.name} when {@code deployment.environment} is unset. */
  public static final String DEFAULT_DEPLOYMENT_ENVIRONMENT = "unknown";

  /** Name of the root logger in {@link #levels()} and {@code logging.level.root}. */
  public static final String ROOT_LOGGER = "root";

  static final String KEY_FORMAT = "logging.format";
  static final String KEY_LEVEL = "logging.level";
  static final String KEY_REDACT_ENABLED = "logging.redact.enabled";
  static final String KEY_REDACT_PATTERNS = "logging.redact.patterns";
  static final String KEY_QUEUE_SIZE = "logging.async.queue-size";
  static final String KEY_WARN_WAIT = "logging.async.warn-wait";
  static final String KEY_MAX_STACK_TRACE_LENGTH = "logging.exception.max-length";
  static final String KEY_SHUTDOWN_TIMEOUT = "logging.shutdown.timeout";
  static final String KEY_SERVICE_NAME = "service.name";
  static final String KEY_SERVICE_VERSION = "service.version";
  static final String KEY_ENVIRONMENT = "deployment.environment";

  private final Format format;
  private final Map<String, String> levels;
  private final String serviceName;
  private final String serviceVersion;
  private final String deploymentEnvironment;
  private final String kubernetesPodName;
  private final String kubernetesNamespace;
  private final boolean redactionEnabled;
  private final List<String> redactionPatterns;
  private final int queueSize;
  private final Duration warnWait;
  private final int maxStackTraceLength;
  private final Duration shutdownTimeout;

  private LoggingSettings(Builder b) {
    this.format = b.format != null ? b.format : detectFormat();
    this.levels = Collections.unmodifiableMap(new TreeMap<>(b.levels));
    this.serviceName = b.serviceName;
    this.serviceVersion = b.serviceVersion;
    this.deploymentEnvironment = b.deploymentEnvironment;
    this.kubernetesPodName = b.kubernetesPodName;
    this.kubernetesNamespace = b.kubernetesNamespace;
    this.redactionEnabled = b.redactionEnabled;
    this.redactionPatterns = List.copyOf(b.redactionPatterns);
    this.queueSize = b.queueSize;
    this.warnWait = b.warnWait;
    this.maxStackTraceLength = b.maxStackTraceLength;
    this.shutdownTimeout = b.shutdownTimeout;
  }

  /** Returns a builder with every default; Kubernetes fields unset. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the settings from {@code config} (keys above) and the Kubernetes downward-API
   * environment ({@code POD_NAME}, {@code POD_NAMESPACE}, else {@code HOSTNAME} and the service
   * account namespace file when running in a cluster).
   *
   * @throws ConfigException listing every malformed key at once
   */
  public static LoggingSettings from(Config config) {
    Objects.requireNonNull(config, "config");
    var reader = new SettingsReader(config);
    Builder b = builder();
    reader.read(KEY_FORMAT, String.class).ifPresent(value -> {
      try {
        b.format(Format.valueOf(value.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        reader.problem(KEY_FORMAT, "expected 'json' or 'text', got '" + value + "'");
      }
    });
    reader.guard(() -> config.getMap(KEY_LEVEL, String.class)).ifPresent(levels -> levels.forEach((logger, level) -> {
      String key = KEY_LEVEL + "." + logger;
      try {
        b.level(logger, level);
      } catch (IllegalArgumentException e) {
        reader.problem(key, e.getMessage());
      }
    }));
    reader.read(KEY_REDACT_ENABLED, Boolean.class).ifPresent(b::redaction);
    reader.guard(() -> config.getList(KEY_REDACT_PATTERNS, String.class)).ifPresent(patterns -> {
      for (int i = 0; i < patterns.size(); i++) {
        try {
          b.redactionPattern(patterns.get(i));
        } catch (IllegalArgumentException e) {
          reader.problem(KEY_REDACT_PATTERNS, "element " + i + ": " + e.getMessage());
        }
      }
    });
    reader.read(KEY_QUEUE_SIZE, Integer.class).ifPresent(size -> reader.check(KEY_QUEUE_SIZE, () -> b.queueSize(size)));
    reader.read(KEY_WARN_WAIT, Duration.class).ifPresent(wait -> reader.check(KEY_WARN_WAIT, () -> b.warnWait(wait)));
    reader.read(KEY_MAX_STACK_TRACE_LENGTH, Integer.class)
        .ifPresent(length -> reader.check(KEY_MAX_STACK_TRACE_LENGTH, () -> b.maxStackTraceLength(length)));
    reader.read(KEY_SHUTDOWN_TIMEOUT, Duration.class)
        .ifPresent(timeout -> reader.check(KEY_SHUTDOWN_TIMEOUT, () -> b.shutdownTimeout(timeout)));
    reader.read(KEY_SERVICE_NAME, String.class).ifPresent(name -> reader.check(KEY_SERVICE_NAME, () -> b.serviceName(name)));
    reader.read(KEY_SERVICE_VERSION, String.class)
        .ifPresent(version -> reader.check(KEY_SERVICE_VERSION, () -> b.serviceVersion(version)));
    reader.read(KEY_ENVIRONMENT, String.class)
        .ifPresent(env -> reader.check(KEY_ENVIRONMENT, () -> b.deploymentEnvironment(env)));
    reader.throwIfProblems();
    KubernetesEnvironment k8s = KubernetesEnvironment.detect();
    b.kubernetesPodName(k8s.podName().orElse(null));
    b.kubernetesNamespace(k8s.namespace().orElse(null));
    return b.build();
  }

  /** A builder holding these settings, to change a few of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.format = format;
    b.levels.putAll(levels);
    b.serviceName = serviceName;
    b.serviceVersion = serviceVersion;
    b.deploymentEnvironment = deploymentEnvironment;
    b.kubernetesPodName = kubernetesPodName;
    b.kubernetesNamespace = kubernetesNamespace;
    b.redactionEnabled = redactionEnabled;
    b.redactionPatterns.addAll(redactionPatterns);
    b.queueSize = queueSize;
    b.warnWait = warnWait;
    b.maxStackTraceLength = maxStackTraceLength;
    b.shutdownTimeout = shutdownTimeout;
    return b;
  }

  /** The output format. */
  public Format format() {
    return format;
  }

  /**
   * Explicitly configured levels by logger name ({@value #ROOT_LOGGER} for the root logger), upper
   * case, sorted. The root logger is {@value #DEFAULT_ROOT_LEVEL} when absent here.
   */
  public Map<String, String> levels() {
    return levels;
  }

  /** {@code service.name} on every line. */
  public String serviceName() {
    return serviceName;
  }

  /** {@code service.version} on every line. */
  public String serviceVersion() {
    return serviceVersion;
  }

  /** {@code deployment.environment.name} on every line. */
  public String deploymentEnvironment() {
    return deploymentEnvironment;
  }

  /** {@code k8s.pod.name}, when known. */
  public Optional<String> kubernetesPodName() {
    return Optional.ofNullable(kubernetesPodName);
  }

  /** {@code k8s.namespace.name}, when known. */
  public Optional<String> kubernetesNamespace() {
    return Optional.ofNullable(kubernetesNamespace);
  }

  /** Whether pattern redaction runs ({@code Secret} values are masked regardless). */
  public boolean redactionEnabled() {
    return redactionEnabled;
  }

  /** Extra redaction regexes, on top of the built-in rules. */
  public List<String> redactionPatterns() {
    return redactionPatterns;
  }

  /** Capacity of the async queue, in events. */
  public int queueSize() {
    return queueSize;
  }

  /** Cap on {@code exception.stacktrace}, in characters. */
  public int maxStackTraceLength() {
    return maxStackTraceLength;
  }

  /** Time Pave's own shutdown hook gives the queue to drain. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** How long a WARN or ERROR line waits for room in a full queue before it is dropped. */
  public Duration warnWait() {
    return warnWait;
  }

  @Override
  public String toString() {
    return "LoggingSettings[format=" + format + ", levels=" + levels + ", service.name=" + serviceName
        + ", service.version=" + serviceVersion + ", deployment.environment=" + deploymentEnvironment
        + ", k8s.pod.name=" + kubernetesPodName + ", k8s.namespace.name=" + kubernetesNamespace
        + ", redaction=" + redactionEnabled + ", redactionPatterns=" + redactionPatterns.size()
        + ", queueSize=" + queueSize + ", maxStackTraceLength=" + maxStackTraceLength
        + ", shutdownTimeout=" + shutdownTimeout + ", warnWait=" + warnWait + "]";
  }

  private static Format detectFormat() {
    // A terminal on both stdin and stdout means a developer is watching: readable lines.
    return System.console() != null ? Format.TEXT : Format.JSON;
  }

  /** Builds {@link LoggingSettings}; every option is validated when set. Not thread-safe. */
  public static final class Builder {
    private Format format;
    private final Map<String, String> levels = new TreeMap<>();
    private String serviceName = DEFAULT_SERVICE_NAME;
    private String serviceVersion = DEFAULT_SERVICE_VERSION;
    private String deploymentEnvironment = DEFAULT_DEPLOYMENT_ENVIRONMENT;
    private String kubernetesPodName;
    private String kubernetesNamespace;
    private boolean redactionEnabled = true;
    private final List<String> redactionPatterns = new ArrayList<>();
    private int queueSize = DEFAULT_QUEUE_SIZE;
    private int maxStackTraceLength = DEFAULT_MAX_STACK_TRACE_LENGTH;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private Duration warnWait = Duration.ofMillis(DEFAULT_WARN_WAIT_MILLIS);

    private Builder() {}

    /**
     * Sets the output format. Default: {@link Format#TEXT} when {@code System.console() != null},
     * else {@link Format#JSON}.
     */
    public Builder format(Format format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * Sets the level of {@code logger} ({@value #ROOT_LOGGER} for the root logger): one of TRACE,
     * DEBUG, INFO, WARN, ERROR, OFF, any case.
     *
     * @throws IllegalArgumentException naming the logger if the level is unknown
     */
    public Builder level(String logger, String level) {
      Objects.requireNonNull(logger, "logger");
      if (logger.isBlank()) {
        throw new IllegalArgumentException("logger name must not be blank");
      }
      levels.put(logger, Levels.parse(logger, level).toString());
      return this;
    }

    /** Sets {@code service.name}. Default {@value #DEFAULT_SERVICE_NAME}. */
    public Builder serviceName(String serviceName) {
      this.serviceName = requireText(serviceName, "serviceName");
      return this;
    }

    /** Sets {@code service.version}. Default {@value #DEFAULT_SERVICE_VERSION}. */
    public Builder serviceVersion(String serviceVersion) {
      this.serviceVersion = requireText(serviceVersion, "serviceVersion");
      return this;
    }

    /** Sets {@code deployment.environment.name}. Default {@value #DEFAULT_DEPLOYMENT_ENVIRONMENT}. */
    public Builder deploymentEnvironment(String deploymentEnvironment) {
      this.deploymentEnvironment = requireText(deploymentEnvironment, "deploymentEnvironment");
      return this;
    }

    /** Sets {@code k8s.pod.name}; {@code null} or blank omits the field. Default: omitted. */
    public Builder kubernetesPodName(String podName) {
      this.kubernetesPodName = podName == null || podName.isBlank() ? null : podName;
      return this;
    }

    /** Sets {@code k8s.namespace.name}; {@code null} or blank omits the field. Default: omitted. */
    public Builder kubernetesNamespace(String namespace) {
      this.kubernetesNamespace = namespace == null || namespace.isBlank() ? null : namespace;
      return this;
    }

    /** Turns pattern redaction on or off. Default on. {@code Secret} values are always masked. */
    public Builder redaction(boolean enabled) {
      this.redactionEnabled = enabled;
      return this;
    }

    /**
     * Adds a redaction regex (Java syntax). Each capturing group of a match is masked, or the whole
     * match if the pattern has no group. Repeatable.
     *
     * @throws IllegalArgumentException if {@code regex} does not compile
     */
    public Builder redactionPattern(String regex) {
      Objects.requireNonNull(regex, "regex");
      try {
        Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("invalid regular expression '" + regex + "': "
            + e.getDescription(), e);
      }
      redactionPatterns.add(regex);
      return this;
    }

    /**
     * Sets the async queue capacity, in events. When full, events at INFO and below are dropped
     * and counted; WARN and ERROR wait for room. Default {@value #DEFAULT_QUEUE_SIZE}.
     *
     * @throws IllegalArgumentException unless {@code queueSize >= 1}
     */
    public Builder queueSize(int queueSize) {
      if (queueSize < 1) {
        throw new IllegalArgumentException("queueSize must be at least 1, got " + queueSize);
      }
      this.queueSize = queueSize;
      return this;
    }

    /**
     * Sets the cap on {@code exception.stacktrace}, in characters. Default
     * {@value #DEFAULT_MAX_STACK_TRACE_LENGTH}.
     *
     * @throws IllegalArgumentException if below {@value #MIN_MAX_STACK_TRACE_LENGTH}
     */
    public Builder maxStackTraceLength(int maxStackTraceLength) {
      if (maxStackTraceLength < MIN_MAX_STACK_TRACE_LENGTH) {
        throw new IllegalArgumentException("maxStackTraceLength must be at least "
            + MIN_MAX_STACK_TRACE_LENGTH + " characters, got " + maxStackTraceLength);
      }
      this.maxStackTraceLength = maxStackTraceLength;
      return this;
    }

    /**
     * Sets how long Pave's own shutdown hook waits for the queue to drain. Default 5 s.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
      if (shutdownTimeout.isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout must not be negative, got " + shutdownTimeout);
      }
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    /**
     * Sets how long a WARN or ERROR line waits for room in a full queue before it is dropped and
     * counted. Default {@value LoggingSettings#DEFAULT_WARN_WAIT_MILLIS} ms.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder warnWait(Duration warnWait) {
      Objects.requireNonNull(warnWait, "warnWait");
      if (warnWait.isNegative()) {
        throw new IllegalArgumentException("warnWait must not be negative, got " + warnWait);
      }
      this.warnWait = warnWait;
      return this;
    }

    /** Returns the immutable settings. */
    public LoggingSettings build() {
      return new LoggingSettings(this);
    }

    private static String requireText(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
