package dev.pave.testing;

import dev.pave.config.Durations;
import dev.pave.config.Experimental;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pave.config.Config;
import dev.pave.config.ConfigBuilder;
import dev.pave.core.CoreSettings;
import dev.pave.grpc.GrpcClientSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The production-readiness check a build pipeline runs: it reads the service's configuration as
 * it will be in a target environment (the classpath {@code application.yaml}, {@code
 * application-<env>.yaml} and the environment variables the deployment sets) and the wiring of a
 * service started by {@link PaveTest}, and answers a checklist, each item PASS or FAIL with the
 * reason:
 *
 * <pre>{@code
 * @PaveTest(value = PaymentsMain.class, secrets = "payments.api-key=test")
 * class ProductionReadinessTest {
 *   @Test
 *   void readyForProduction(PaveTestService svc) {
 *     ProductionReadiness.forEnvironment("prod")
 *         .environmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317")
 *         .check(svc)
 *         .assertReady();   // fails the build on any FAIL, listing every item
 *   }
 * }
 * }</pre>
 *
 * <p>Items: the drain fits the termination grace period; readiness checks are registered; secrets
 * come from the secret volume or the age file, not from environment variables; logs are JSON;
 * traces are exported outside dev environments; every gRPC client has a deadline and a circuit
 * breaker; the metrics endpoint is on a fixed port and answers. Instances are immutable.
 */
@Experimental("the set of checks grows with each release")
public final class ProductionReadiness {

  /** Environments in which trace export is not required: {@value}. */
  public static final String DEV_ENVIRONMENTS = "dev, local, test";

  private static final Set<String> DEV = Set.of("dev", "local", "test");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String environment;
  private final Map<String, String> environmentVariables;

  private ProductionReadiness(String environment, Map<String, String> environmentVariables) {
    this.environment = environment;
    this.environmentVariables = Map.copyOf(environmentVariables);
  }

  /**
   * A check of the configuration {@code environment} (e.g. {@code prod}) will run with.
   *
   * @param environment the {@code deployment.environment} to read {@code application-<env>.yaml} for
   */
  public static ProductionReadiness forEnvironment(String environment) {
    Objects.requireNonNull(environment, "environment");
    if (environment.isBlank()) {
      throw new IllegalArgumentException("environment must not be blank");
    }
    return new ProductionReadiness(environment, Map.of());
  }

  /**
   * Adds an environment variable the deployment sets (e.g. from the Kubernetes manifest), as
   * sdk-config would see it. Secret values are not needed and should not be given.
   */
  public ProductionReadiness environmentVariable(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, String> variables = new java.util.LinkedHashMap<>(environmentVariables);
    variables.put(name, value);
    return new ProductionReadiness(environment, variables);
  }

  /**
   * Runs the checklist against the target environment's configuration and the wiring of {@code
   * svc}.
   */
  public ReadinessReport check(PaveTestService svc) {
    Objects.requireNonNull(svc, "svc");
    List<ReadinessReport.Item> items = new ArrayList<>();
    try (Config config = targetConfig()) {
      items.add(drainBudget(config));
      items.add(readinessChecks(svc));
      items.add(secretsNotFromEnvironment(config));
      items.add(jsonLogs(config));
      items.add(traceExport(config));
      items.add(grpcClients(config));
      items.add(metricsEndpoint(config, svc));
    }
    return new ReadinessReport(svc.serviceName(), environment, items);
  }

  private Config targetConfig() {
    // The report reads what ships with the service (classpath) and what the deployment sets
    // (environment variables), never the build machine's files.
    return Config.builder()
        .environmentName(environment)
        .environment(environmentVariables)
        .noMachineFiles()
        .build();
  }

  private static ReadinessReport.Item drainBudget(Config config) {
    String name = "graceful drain fits the termination grace period";
    try {
      CoreSettings settings = CoreSettings.from(config);
      settings.checkTerminationBudget();
      return ReadinessReport.Item.pass(name, Durations.format(settings.longestDrain()) + " drain + "
          + Durations.format(settings.lifecycle().shutdownTimeout()) + " shutdown + "
          + Durations.format(settings.lifecycle().telemetryFlushTimeout()) + " telemetry flush <= "
          + Durations.format(settings.lifecycle().terminationGracePeriod()) + " grace period");
    } catch (RuntimeException e) {
      return ReadinessReport.Item.fail(name, e.getMessage());
    }
  }

  private static ReadinessReport.Item readinessChecks(PaveTestService svc) {
    String name = "readiness checks registered";
    AdminResponse response = svc.admin("/readyz?verbose");
    Set<String> checks = new TreeSet<>();
    try {
      for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
        checks.add(check.path("name").asText());
      }
    } catch (IOException e) {
      return ReadinessReport.Item.fail(name, "/readyz?verbose did not answer JSON: " + e.getMessage());
    }
    return checks.isEmpty()
        ? ReadinessReport.Item.fail(name, "none: the pod is ready as soon as it has started, even"
            + " when what it depends on is down; add svc.health().readiness(name, check)")
        : ReadinessReport.Item.pass(name, String.join(", ", checks));
  }

  private static ReadinessReport.Item secretsNotFromEnvironment(Config config) {
    String name = "secrets from the secret volume or the age file, not env";
    boolean allowEnv = config.get("secrets.allow-env", Boolean.class, false);
    return allowEnv
        ? ReadinessReport.Item.fail(name, "secrets.allow-env=true: secrets in environment"
            + " variables leak into process listings and crash reports; mount a Secret at "
            + config.get("secrets.dir", String.class, ConfigBuilder.DEFAULT_SECRETS_DIRECTORY))
        : ReadinessReport.Item.pass(name, "secrets.allow-env is off");
  }

  private static ReadinessReport.Item jsonLogs(Config config) {
    String name = "JSON logs";
    String format = config.find("logging.format", String.class).orElse(null);
    if (format == null) {
      return ReadinessReport.Item.pass(name, "logging.format unset: JSON, as stdout is not a terminal in a pod");
    }
    return format.equalsIgnoreCase("text")
        ? ReadinessReport.Item.fail(name, "logging.format=text: log pipelines cannot parse it;"
            + " remove the key or set json")
        : ReadinessReport.Item.pass(name, "logging.format=" + format);
  }

  private ReadinessReport.Item traceExport(Config config) {
    String name = "trace export configured";
    if (DEV.contains(environment)) {
      return ReadinessReport.Item.pass(name, "not required in " + environment);
    }
    for (String key : List.of("otel.exporter.otlp.traces.endpoint", "otel.exporter.otlp.endpoint")) {
      String endpoint = config.find(key, String.class).orElse(null);
      if (endpoint != null && !endpoint.isBlank()) {
        String cannotExport = cannotExport(config, key, endpoint.trim());
        return cannotExport == null
            ? ReadinessReport.Item.pass(name, key + "=" + endpoint)
            : ReadinessReport.Item.fail(name, cannotExport);
      }
    }
    String exporter = config.find("otel.traces.exporter", String.class).orElse("none");
    if (!exporter.equals("none")) {
      return ReadinessReport.Item.pass(name, "otel.traces.exporter=" + exporter);
    }
    return ReadinessReport.Item.fail(name, "no OTEL_EXPORTER_OTLP_ENDPOINT (or"
        + " otel.exporter.otlp.endpoint) in " + environment + ": traces are dropped");
  }

  /**
   * Why an exporter configured with {@code endpoint} could not export, or null. OpenTelemetry only
   * logs a WARN at startup and an ERROR per failed batch: the classic case is the collector's
   * OTLP/HTTP port (4318) with OpenTelemetry Java's default protocol, {@code grpc} (adoption report,
   * defect 7).
   */
  private static String cannotExport(Config config, String key, String endpoint) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(endpoint);
    } catch (java.net.URISyntaxException e) {
      return key + "=" + endpoint + " is not a URL; expected http://host:port or https://host:port";
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      return key + "=" + endpoint + " is not an http(s) URL with a host; expected http://host:port";
    }
    String protocolKey = config.find("otel.exporter.otlp.traces.protocol", String.class).isPresent()
        ? "otel.exporter.otlp.traces.protocol" : "otel.exporter.otlp.protocol";
    String protocol = config.find(protocolKey, String.class).orElse("grpc").trim();
    if (!List.of("grpc", "http/protobuf", "http/json").contains(protocol)) {
      return protocolKey + "=" + protocol + " is not an OTLP protocol; expected grpc, http/protobuf or http/json";
    }
    int port = uri.getPort();
    if (port == 4318 && protocol.equals("grpc")) {
      return key + "=" + endpoint + " is a collector's OTLP/HTTP port, but the protocol is grpc"
          + " (OpenTelemetry Java's default): every export would fail; set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
          + " or use the collector's gRPC port 4317";
    }
    if (port == 4317 && !protocol.equals("grpc")) {
      return key + "=" + endpoint + " is a collector's OTLP/gRPC port, but the protocol is " + protocol
          + ": every export would fail; remove " + protocolKey + " or use the collector's HTTP port 4318";
    }
    return null;
  }

  private static ReadinessReport.Item grpcClients(Config config) {
    String name = "every gRPC client has a deadline and a circuit breaker";
    Set<String> clients = new TreeSet<>();
    for (String key : config.subtree("grpc.clients").keySet()) {
      int dot = key.indexOf('.');
      clients.add(dot < 0 ? key : key.substring(0, dot));
    }
    if (clients.isEmpty()) {
      return ReadinessReport.Item.pass(name, "no gRPC clients");
    }
    List<String> problems = new ArrayList<>();
    List<String> fine = new ArrayList<>();
    for (String client : clients) {
      try {
        GrpcClientSettings settings = GrpcClientSettings.from(config, client);
        if (settings.defaultDeadline().isZero() || settings.defaultDeadline().isNegative()) {
          problems.add(client + ": no deadline");
        } else if (!settings.breakerEnabled()) {
          problems.add(client + ": circuit breaker off");
        } else {
          fine.add(client + " (deadline " + Durations.format(settings.defaultDeadline()) + ")");
        }
      } catch (RuntimeException e) {
        problems.add(client + ": " + e.getMessage());
      }
    }
    return problems.isEmpty()
        ? ReadinessReport.Item.pass(name, String.join(", ", fine))
        : ReadinessReport.Item.fail(name, String.join("; ", problems));
  }

  private static ReadinessReport.Item metricsEndpoint(Config config, PaveTestService svc) {
    String name = "metrics endpoint on";
    int port;
    try {
      port = CoreSettings.from(config).admin().port();
    } catch (RuntimeException e) {
      return ReadinessReport.Item.fail(name, e.getMessage());
    }
    if (port == 0) {
      return ReadinessReport.Item.fail(name, "admin.port=0 (random): Prometheus cannot find /metrics");
    }
    AdminResponse metrics = svc.admin("/metrics");
    return metrics.status() == 200 && metrics.body().contains("jvm_")
        ? ReadinessReport.Item.pass(name, "/metrics on admin port " + port)
        : ReadinessReport.Item.fail(name, "/metrics answered " + metrics.status());
  }
}
