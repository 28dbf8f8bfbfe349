package dev.pave.core.internal;

import dev.pave.config.Durations;
import dev.pave.config.ConfigEntry;
import dev.pave.core.CoreSettings;
import dev.pave.core.LifecycleState;
import dev.pave.logging.PaveLogging;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin server's endpoints read from and do to a running service ({@link
 * AdminServer.Backend}), apart from the startup order that {@link ServiceRuntime} is (design
 * review A2). Every call may come before startup finished: {@code /livez} answers from step 7 on.
 */
final class AdminBackend implements AdminServer.Backend {

  /** Runtime level changes are recorded here, at WARN; its level is pinned at INFO. */
  static final String AUDIT_LOGGER = "dev.pave.audit";
  private static final Logger AUDIT = LoggerFactory.getLogger(AUDIT_LOGGER);

  private final ServiceRuntime runtime;

  AdminBackend(ServiceRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public LifecycleState state() {
    return runtime.state();
  }

  @Override
  public HealthRegistry health() {
    return runtime.serviceContext().health();
  }

  @Override
  public void preStop() {
    runtime.preStop();
  }

  @Override
  public String scrape(String accept, OutputStream out) throws IOException {
    return runtime.metricsOrNull().scrape(accept, out);
  }

  @Override
  public Map<String, Object> info() {
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("name", runtime.serviceContext().serviceName());
    service.put("version", runtime.serviceContext().config().find("service.version", String.class).orElse(null));
    service.put("environment", runtime.serviceContext().config().find("deployment.environment", String.class).orElse(null));
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("service", service);
    info.put("pave", Map.of("version", BuildInfo.PAVE_VERSION));
    info.put("state", runtime.state().name());
    Instant startTime = runtime.startTime();
    info.put("startTime", startTime.toString());
    Duration uptime = Duration.between(startTime, Instant.now());
    info.put("uptime", uptime.toString());
    info.put("uptimeSeconds", uptime.toMillis() / 1000.0);
    if (BuildInfo.GIT_COMMIT != null) {
      info.put("git", Map.of("commit", BuildInfo.GIT_COMMIT));
    }
    return info;
  }

  @Override
  public Optional<List<Map<String, Object>>> configEntries() {
    if (!runtime.settingsOrNull().admin().exposeConfig()) {
      return Optional.empty();
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    for (ConfigEntry entry : runtime.serviceContext().config().entries()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("key", entry.key());
      e.put("value", entry.value()); // sdk-config already masks secrets as "******"
      e.put("source", entry.source());
      e.put("secret", entry.secret());
      entries.add(e);
    }
    return Optional.of(entries);
  }

  @Override
  public boolean logLevelChangesEnabled() {
    return runtime.settingsOrNull().admin().loglevel().enabled();
  }

  @Override
  public boolean loggerExists(String logger) {
    if (logger.equalsIgnoreCase(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
      return true;
    }
    org.slf4j.ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    return !(factory instanceof ch.qos.logback.classic.LoggerContext)
        || ((ch.qos.logback.classic.LoggerContext) factory).exists(logger) != null;
  }

  @Override
  public void setLogLevel(String logger, String level, Duration ttl, String requester) {
    // The audit line goes out first, at WARN, on a logger whose own level is pinned, so that no
    // change (ROOT=OFF included) can suppress the record of itself (security report D6).
    PaveLogging.setLevel(AUDIT_LOGGER, "INFO");
    if (logger.equals(AUDIT_LOGGER)) {
      throw new IllegalArgumentException("the audit logger's level cannot be changed");
    }
    AUDIT.warn("log level of '{}' set to {}{} by POST /loglevel from {}", logger,
        level == null ? "inherited" : level, ttl == null ? "" : " for " + Durations.format(ttl), requester);
    if (ttl == null) {
      PaveLogging.setLevel(logger, level);
    } else {
      PaveLogging.setLevel(logger, level, ttl);
    }
  }

  /** Pave's version and the service's git commit, read once from the classpath. */
  static final class BuildInfo {
    static final String PAVE_VERSION = read("/dev/pave/core/pave-build.properties", "pave.version");
    /** The commit recorded by git-commit-id-maven-plugin's {@code git.properties}, if the build has one. */
    static final String GIT_COMMIT = read("/git.properties", "git.commit.id");

    private static String read(String resource, String key) {
      try (InputStream in = AdminBackend.class.getResourceAsStream(resource)) {
        if (in == null) {
          return null;
        }
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty(key);
      } catch (IOException e) {
        return null;
      }
    }

    private BuildInfo() {}
  }
}
