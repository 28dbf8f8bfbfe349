package dev.pave.logging;

import dev.pave.config.Config;
import dev.pave.config.ConfigEntry;
import dev.pave.config.ConfigException;
import dev.pave.config.ConfigException.Problem;
import dev.pave.config.DefaultValue;
import dev.pave.logging.internal.KubernetesEnvironment;
import dev.pave.logging.internal.Levels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * <p>Configuration keys: each is declared once, as a component of the records below ({@link Keys}
 * under {@code logging}, {@link Service} under {@code service}) with its type and
 * {@link DefaultValue}, plus {@value #KEY_ENVIRONMENT}; docs/logging.md's table is checked against
 * them. Environment variables bind by the usual rule, e.g.
 * {@code LOGGING_LEVEL_COM_EXAMPLE_PAYMENTS=DEBUG} sets {@code logging.level.com.example.payments}.
 */
public final class LoggingSettings {

  /** The output format of each log line. */
  public enum Format {
    /** One JSON object per line (production). */
    JSON,
    /** One readable line per event (local development). */
    TEXT
  }

  /**
   * The keys under {@code logging}.
   *
   * @param format {@code json} or {@code text}; unset: {@code text} when {@code System.console() !=
   *     null}, else {@code json}
   * @param level logger name ({@value #ROOT_LOGGER} for the root) to level: TRACE, DEBUG, INFO, WARN,
   *     ERROR or OFF, any case
   * @param redact {@code logging.redact.*}
   * @param async {@code logging.async.*}
   * @param exception {@code logging.exception.*}
   * @param field {@code logging.field.*}
   * @param shutdown {@code logging.shutdown.*}
   */
  public record Keys(
      Optional<Format> format,
      Map<String, Level> level,
      Redact redact,
      Async async,
      ExceptionField exception,
      FieldLength field,
      Shutdown shutdown) {

    /** Checks that no section is missing. */
    public Keys {
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(redact, "redact");
      Objects.requireNonNull(async, "async");
      Objects.requireNonNull(exception, "exception");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(shutdown, "shutdown");
    }
  }

  /** A logger level, as {@code logging.level.<logger>} takes it (any case). */
  public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, OFF
  }

  /**
   * {@code logging.redact.*}.
   *
   * @param enabled whether pattern redaction runs ({@code Secret} values are masked regardless)
   * @param patterns extra Java regexes, on top of the built-in rules
   */
  public record Redact(@DefaultValue("true") boolean enabled, List<String> patterns) {

    /**
     * Checks that every pattern compiles.
     *
     * @throws ConfigException naming each pattern that does not
     */
    public Redact {
      Objects.requireNonNull(patterns, "patterns");
      var problems = new ArrayList<Problem>();
      for (int i = 0; i < patterns.size(); i++) {
        String regex = patterns.get(i);
        check(problems, KEY_REDACT_PATTERNS, () -> checkPattern(regex));
      }
      ConfigException.throwIfAny(problems);
    }
  }

  /**
   * {@code logging.async.*}.
   *
   * @param queueSize capacity of the async queue, in events: enough to absorb a burst of 20,000
   *     ordinary lines in a tight loop with none dropped (docs/logging.md); the queue also holds at
   *     most about 16 Mi characters of messages, so its memory stays bounded whatever the lines' size
   * @param warnWait how long a WARN or ERROR line waits for room in a full queue before it is
   *     dropped and counted; without the bound, a stdout nobody reads parked every thread that
   *     logged a warning, the shutdown included (security report D5)
   */
  public record Async(@DefaultValue("32768") int queueSize, @DefaultValue("1s") Duration warnWait) {

    /**
     * Checks the values.
     *
     * @throws ConfigException naming each key out of range
     */
    public Async {
      Objects.requireNonNull(warnWait, "warnWait");
      var problems = new ArrayList<Problem>();
      check(problems, KEY_QUEUE_SIZE, () -> checkQueueSize(queueSize));
      check(problems, KEY_WARN_WAIT, () -> checkNotNegative(warnWait));
      ConfigException.throwIfAny(problems);
    }
  }

  /**
   * {@code logging.exception.*}.
   *
   * @param maxLength cap on {@code exception.stacktrace}, in characters, at least
   *     {@value #MIN_MAX_STACK_TRACE_LENGTH}
   */
  public record ExceptionField(@DefaultValue("16384") int maxLength) {

    /**
     * Checks the value.
     *
     * @throws ConfigException if below {@value #MIN_MAX_STACK_TRACE_LENGTH}
     */
    public ExceptionField {
      var problems = new ArrayList<Problem>();
      check(problems, KEY_MAX_STACK_TRACE_LENGTH, () -> checkMaxStackTraceLength(maxLength));
      ConfigException.throwIfAny(problems);
    }
  }

  /**
   * {@code logging.field.*}.
   *
   * @param maxLength cap on the message, {@code exception.message} and each MDC and key-value
   *     field, in characters, applied after redaction; longer text ends with {@code "... (N
   *     characters cut)"}. A service that logs what a client sent (a 4 MB {@code reference}) would
   *     otherwise write a 4 MB line (security report D14). At least {@value #MIN_MAX_FIELD_LENGTH}.
   */
  public record FieldLength(@DefaultValue("8192") int maxLength) {

    /**
     * Checks the value.
     *
     * @throws ConfigException if below {@value #MIN_MAX_FIELD_LENGTH}
     */
    public FieldLength {
      var problems = new ArrayList<Problem>();
      check(problems, KEY_MAX_FIELD_LENGTH, () -> checkAtLeast(maxLength, MIN_MAX_FIELD_LENGTH));
      ConfigException.throwIfAny(problems);
    }
  }

  /**
   * {@code logging.shutdown.*}.
   *
   * @param timeout time Pave's own shutdown hook gives the queue to drain
   */
  public record Shutdown(@DefaultValue("5s") Duration timeout) {

    /**
     * Checks the value.
     *
     * @throws ConfigException if negative
     */
    public Shutdown {
      Objects.requireNonNull(timeout, "timeout");
      var problems = new ArrayList<Problem>();
      check(problems, KEY_SHUTDOWN_TIMEOUT, () -> checkNotNegative(timeout));
      ConfigException.throwIfAny(problems);
    }
  }

  /**
   * The keys under {@code service}: the identity written on every line.
   *
   * @param name {@code service.name}; the default is OpenTelemetry's resource convention
   * @param version {@code service.version}
   */
  public record Service(
      @DefaultValue("unknown_service:java") String name, @DefaultValue("unknown") String version) {

    /**
     * Checks the values.
     *
     * @throws ConfigException naming each blank value
     */
    public Service {
      var problems = new ArrayList<Problem>();
      check(problems, KEY_SERVICE_NAME, () -> requireText(name));
      check(problems, KEY_SERVICE_VERSION, () -> requireText(version));
      ConfigException.throwIfAny(problems);
    }
  }

  private static final Keys DEFAULT_KEYS = Config.defaults(Keys.class);
  private static final Service DEFAULT_SERVICE = Config.defaults(Service.class);

  /** Level of the root logger unless configured. */
  public static final String DEFAULT_ROOT_LEVEL = "INFO";
  /** Default of {@code logging.async.queue-size} ({@link Async#queueSize()}). */
  public static final int DEFAULT_QUEUE_SIZE = DEFAULT_KEYS.async().queueSize();
  /** Default of {@code logging.exception.max-length} ({@link ExceptionField#maxLength()}). */
  public static final int DEFAULT_MAX_STACK_TRACE_LENGTH = DEFAULT_KEYS.exception().maxLength();
  /** Smallest accepted stack trace cap, in characters. */
  public static final int MIN_MAX_STACK_TRACE_LENGTH = 256;
  /** Default of {@code logging.field.max-length} ({@link FieldLength#maxLength()}). */
  public static final int DEFAULT_MAX_FIELD_LENGTH = DEFAULT_KEYS.field().maxLength();
  /** Smallest accepted field cap, in characters. */
  public static final int MIN_MAX_FIELD_LENGTH = 256;
  /** Default of {@code logging.shutdown.timeout} ({@link Shutdown#timeout()}). */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = DEFAULT_KEYS.shutdown().timeout();
  /** {@code deployment.environment.name} when {@value #KEY_ENVIRONMENT} is unset. */
  public static final String DEFAULT_DEPLOYMENT_ENVIRONMENT = "unknown";

  /** Name of the root logger in {@link #levels()} and {@code logging.level.root}. */
  public static final String ROOT_LOGGER = "root";

  static final String ROOT = "logging";
  static final String SERVICE_ROOT = "service";
  static final String KEY_REDACT_PATTERNS = "logging.redact.patterns";
  static final String KEY_QUEUE_SIZE = "logging.async.queue-size";
  static final String KEY_WARN_WAIT = "logging.async.warn-wait";
  static final String KEY_MAX_STACK_TRACE_LENGTH = "logging.exception.max-length";
  static final String KEY_SHUTDOWN_TIMEOUT = "logging.shutdown.timeout";
  static final String KEY_MAX_FIELD_LENGTH = "logging.field.max-length";
  static final String KEY_SERVICE_NAME = "service.name";
  static final String KEY_SERVICE_VERSION = "service.version";
  /**
   * The one key outside {@link Keys} and {@link Service}: read on its own, since {@code deployment}
   * is not a root Pave owns (a service may keep its own {@code deployment.*} keys).
   */
  public static final String KEY_ENVIRONMENT = "deployment.environment";

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
  private final int maxFieldLength;
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
    this.maxFieldLength = b.maxFieldLength;
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
    var problems = new ArrayList<Problem>();
    Keys keys = ConfigException.collect(() -> config.bind(ROOT, Keys.class), problems);
    Service service = ConfigException.collect(() -> config.bind(SERVICE_ROOT, Service.class), problems);
    String environment = ConfigException.collect(() -> config.get(KEY_ENVIRONMENT, String.class, DEFAULT_DEPLOYMENT_ENVIRONMENT), problems);
    if (environment != null && environment.isBlank()) {
      problems.add(new Problem(KEY_ENVIRONMENT, config.entry(KEY_ENVIRONMENT).map(ConfigEntry::source).orElse(VALUE),
          "must not be blank"));
    }
    ConfigException.throwIfAny(problems);
    KubernetesEnvironment k8s = KubernetesEnvironment.detect();
    return new Builder(keys, service)
        .deploymentEnvironment(environment)
        .kubernetesPodName(k8s.podName().orElse(null))
        .kubernetesNamespace(k8s.namespace().orElse(null))
        .build();
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
    b.maxFieldLength = maxFieldLength;
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

  /** Cap on the message, {@code exception.message} and each MDC and key-value field, in characters. */
  public int maxFieldLength() {
    return maxFieldLength;
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
        + ", maxFieldLength=" + maxFieldLength
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
    private String serviceName;
    private String serviceVersion;
    private String deploymentEnvironment = DEFAULT_DEPLOYMENT_ENVIRONMENT;
    private String kubernetesPodName;
    private String kubernetesNamespace;
    private boolean redactionEnabled;
    private final List<String> redactionPatterns = new ArrayList<>();
    private int queueSize;
    private int maxStackTraceLength;
    private int maxFieldLength;
    private Duration shutdownTimeout;
    private Duration warnWait;

    private Builder() {
      this(DEFAULT_KEYS, DEFAULT_SERVICE);
    }

    /** Starts from bound (or default) keys: each value's default is its {@link DefaultValue}. */
    private Builder(Keys keys, Service service) {
      this.format = keys.format().orElse(null);
      keys.level().forEach((logger, level) -> level(logger, level.name()));
      this.serviceName = service.name();
      this.serviceVersion = service.version();
      this.redactionEnabled = keys.redact().enabled();
      this.redactionPatterns.addAll(keys.redact().patterns());
      this.queueSize = keys.async().queueSize();
      this.warnWait = keys.async().warnWait();
      this.maxStackTraceLength = keys.exception().maxLength();
      this.maxFieldLength = keys.field().maxLength();
      this.shutdownTimeout = keys.shutdown().timeout();
    }

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

    /** Sets {@code service.name}. Default: that of {@link Service#name()}. */
    public Builder serviceName(String serviceName) {
      Objects.requireNonNull(serviceName, "serviceName");
      named("serviceName", () -> requireText(serviceName));
      this.serviceName = serviceName;
      return this;
    }

    /** Sets {@code service.version}. Default: that of {@link Service#version()}. */
    public Builder serviceVersion(String serviceVersion) {
      Objects.requireNonNull(serviceVersion, "serviceVersion");
      named("serviceVersion", () -> requireText(serviceVersion));
      this.serviceVersion = serviceVersion;
      return this;
    }

    /** Sets {@code deployment.environment.name}. Default {@value #DEFAULT_DEPLOYMENT_ENVIRONMENT}. */
    public Builder deploymentEnvironment(String deploymentEnvironment) {
      Objects.requireNonNull(deploymentEnvironment, "deploymentEnvironment");
      named("deploymentEnvironment", () -> requireText(deploymentEnvironment));
      this.deploymentEnvironment = deploymentEnvironment;
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
      checkPattern(regex);
      redactionPatterns.add(regex);
      return this;
    }

    /**
     * Sets the async queue capacity, in events. When full, events at INFO and below are dropped
     * and counted; WARN and ERROR wait for room. Default: that of {@link Async#queueSize()}.
     *
     * @throws IllegalArgumentException unless {@code queueSize >= 1}
     */
    public Builder queueSize(int queueSize) {
      named("queueSize", () -> checkQueueSize(queueSize));
      this.queueSize = queueSize;
      return this;
    }

    /**
     * Sets the cap on the message, {@code exception.message} and each MDC and key-value field, in
     * characters, applied after redaction. Default that of {@link FieldLength#maxLength()}.
     *
     * @throws IllegalArgumentException if below {@value #MIN_MAX_FIELD_LENGTH}
     */
    public Builder maxFieldLength(int maxFieldLength) {
      named("maxFieldLength", () -> checkAtLeast(maxFieldLength, MIN_MAX_FIELD_LENGTH));
      this.maxFieldLength = maxFieldLength;
      return this;
    }

    /**
     * Sets the cap on {@code exception.stacktrace}, in characters. Default
     * that of {@link ExceptionField#maxLength()}.
     *
     * @throws IllegalArgumentException if below {@value #MIN_MAX_STACK_TRACE_LENGTH}
     */
    public Builder maxStackTraceLength(int maxStackTraceLength) {
      named("maxStackTraceLength", () -> checkMaxStackTraceLength(maxStackTraceLength));
      this.maxStackTraceLength = maxStackTraceLength;
      return this;
    }

    /**
     * Sets how long Pave's own shutdown hook waits for the queue to drain. Default {@link #DEFAULT_SHUTDOWN_TIMEOUT}.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
      named("shutdownTimeout", () -> checkNotNegative(shutdownTimeout));
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    /**
     * Sets how long a WARN or ERROR line waits for room in a full queue before it is dropped and
     * counted. Default: that of {@link Async#warnWait()}.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder warnWait(Duration warnWait) {
      Objects.requireNonNull(warnWait, "warnWait");
      named("warnWait", () -> checkNotNegative(warnWait));
      this.warnWait = warnWait;
      return this;
    }

    /** Returns the immutable settings. */
    public LoggingSettings build() {
      return new LoggingSettings(this);
    }
  }

  /** The source of a problem found in a value given in code; binding replaces it with the key's source. */
  private static final String VALUE = "value";

  /** Runs {@code check}; an {@link IllegalArgumentException} becomes a problem of {@code key}. */
  private static void check(List<Problem> problems, String key, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(key, VALUE, e.getMessage()));
    }
  }

  /** Runs a builder's {@code check}, its message prefixed with the option's name. */
  private static void named(String name, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " " + e.getMessage(), e);
    }
  }

  private static void requireText(String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("must not be blank");
    }
  }

  private static void checkQueueSize(int queueSize) {
    if (queueSize < 1) {
      throw new IllegalArgumentException("must be at least 1, got " + queueSize);
    }
  }

  private static void checkAtLeast(int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException("must be at least " + min + " characters, got " + value);
    }
  }

  private static void checkMaxStackTraceLength(int length) {
    if (length < MIN_MAX_STACK_TRACE_LENGTH) {
      throw new IllegalArgumentException("must be at least " + MIN_MAX_STACK_TRACE_LENGTH
          + " characters, got " + length);
    }
  }

  private static void checkNotNegative(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("must not be negative, got " + duration);
    }
  }

  private static void checkPattern(String regex) {
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression '" + regex + "': " + e.getDescription(), e);
    }
  }
}
