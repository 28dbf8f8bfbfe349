package dev.pave.samples.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.config.Config;
import dev.pave.config.ConfigBuilder;
import dev.pave.core.CoreSettings;
import dev.pave.grpc.GrpcServerSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks samples/k8s/*.yaml against what Pave will actually run with in that pod, so the manifests
 * cannot drift from Pave's defaults: the pod's configuration is rebuilt the way sdk-core builds it
 * (Pave's defaults underneath, the sample's application.yaml, the Deployment's literal env vars on
 * top), and every number in the manifest is compared with it. The probe paths are also asked of a
 * running Pave admin server.
 */
class KubernetesManifestTest {
  private static final Path K8S = Path.of("..", "k8s");

  @TempDir static Path tempDir;
  static InProcessPayments payments;

  @BeforeAll
  static void start() {
    payments = InProcessPayments.start(tempDir, Map.of());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    payments.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"payments", "checkout"})
  void deploymentMatchesPavesLifecycleBudgetPortsProbesAndSecretsDir(String name) throws IOException {
    Manifest manifest = Manifest.read(name);
    Map<String, Object> pod = map(map(manifest.deployment().get("spec"), "template"), "spec");
    Map<String, Object> container = list(pod, "containers").get(0);
    try (Config config = podConfig(name, literalEnv(container))) {
      CoreSettings core = CoreSettings.from(config);

      // Ports: the named ports are where Pave listens in this pod.
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (Map<String, Object> port : list(container, "ports")) {
        ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
      }
      assertThat(ports).containsEntry("admin", core.admin().port())
          .containsEntry("grpc", config.get("grpc.port", Integer.class, GrpcServerSettings.DEFAULT_PORT));

      // Probes and preStop: Pave's admin paths, on the admin port.
      assertThat(httpGet(container, "startupProbe")).containsEntry("path", "/startupz");
      assertThat(httpGet(container, "livenessProbe")).containsEntry("path", "/livez");
      assertThat(httpGet(container, "readinessProbe")).containsEntry("path", "/readyz");
      Map<String, Object> preStop = map(map(map(container, "lifecycle"), "preStop"), "httpGet");
      assertThat(preStop).containsEntry("path", "/prestop");
      for (Map<String, Object> get : List.of(httpGet(container, "startupProbe"),
          httpGet(container, "livenessProbe"), httpGet(container, "readinessProbe"), preStop)) {
        assertThat(get.get("port")).isIn("admin", core.admin().port());
      }

      // The grace period holds Pave's whole termination, and is the one Pave checks against.
      Duration grace = Duration.ofSeconds((Integer) pod.get("terminationGracePeriodSeconds"));
      assertThat(core.longestDrain().plus(core.lifecycle().shutdownTimeout())
          .plus(core.lifecycle().telemetryFlushTimeout())).isLessThanOrEqualTo(grace);
      assertThat(core.lifecycle().terminationGracePeriod())
          .as("lifecycle.termination-grace-period must equal terminationGracePeriodSeconds")
          .isEqualTo(grace);

      // Secret volumes: whole directory at secrets.dir, read-only, never subPath (no rotation).
      String secretsDir = config.get("secrets.dir", String.class, ConfigBuilder.DEFAULT_SECRETS_DIRECTORY);
      List<String> secretVolumes = new ArrayList<>();
      for (Map<String, Object> volume : list(pod, "volumes")) {
        if (volume.containsKey("secret")) {
          secretVolumes.add((String) volume.get("name"));
        }
      }
      assertThat(secretVolumes).isNotEmpty();
      for (Map<String, Object> mount : list(container, "volumeMounts")) {
        if (secretVolumes.contains(mount.get("name"))) {
          assertThat(mount).containsEntry("mountPath", secretsDir)
              .containsEntry("readOnly", true).doesNotContainKey("subPath");
        }
      }

      // Prometheus scrapes the admin port's /metrics.
      Map<String, Object> annotations = map(map(map(manifest.deployment().get("spec"), "template"),
          "metadata"), "annotations");
      assertThat(annotations).containsEntry("prometheus.io/port", String.valueOf(core.admin().port()))
          .containsEntry("prometheus.io/path", "/metrics");

      // Downward API: the pod and namespace on every log line and span.
      assertThat(list(container, "env")).extracting(env -> env.get("name"))
          .contains("POD_NAME", "POD_NAMESPACE");
    }
  }

  @Test
  void paymentsSecretExampleHoldsTheKeyThePaymentsSampleBinds() throws IOException {
    Map<String, Object> secret = Manifest.read("payments").first("Secret");
    assertThat(map(secret, "stringData")).containsKey("payments.api-key");
  }

  @Test
  void servicesAreHeadlessAndCheckoutTargetsThePaymentsServicePort() throws IOException {
    Manifest payments = Manifest.read("payments");
    Map<String, Object> service = payments.first("Service");
    assertThat(map(service, "spec")).containsEntry("clusterIP", "None");
    Map<String, Object> grpcPort = list(map(service, "spec"), "ports").get(0);
    assertThat(grpcPort).containsEntry("targetPort", "grpc");
    assertThat(map(Manifest.read("checkout").first("Service"), "spec")).containsEntry("clusterIP", "None");

    Map<String, Object> checkoutContainer = list(map(map(
        Manifest.read("checkout").deployment().get("spec"), "template"), "spec"), "containers").get(0);
    String namespace = (String) map(service, "metadata").get("namespace");
    assertThat(literalEnv(checkoutContainer)).containsEntry("GRPC_CLIENTS_PAYMENTS_TARGET",
        "dns:///payments." + namespace + ".svc.cluster.local:" + grpcPort.get("port"));
  }

  @Test
  void probePathsAndPreStopAreServedByPavesAdminServer() throws Exception {
    for (String path : List.of("/startupz", "/livez", "/metrics", "/info")) {
      assertThat(payments.admin("GET", path).statusCode()).as(path).isEqualTo(200);
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> payments.admin("GET", "/readyz").statusCode() == 200);
    // Not called with GET here: that would drain the service. An existing path answers another
    // method with 405, an unknown one with 404.
    assertThat(payments.admin("POST", "/prestop").statusCode()).isEqualTo(405);
    assertThat(payments.admin("GET", "/no-such-probe").statusCode()).isEqualTo(404);
  }

  /** The configuration Pave builds in the pod: its defaults, the sample's application.yaml, env. */
  private static Config podConfig(String name, Map<String, String> env) {
    return Config.builder()
        .defaults(java.util.Map.of("service.name", name))
        .classLoader(new ClassLoader(null) {}) // not this test's class path: the sample's own file
        .configDirectory(Path.of("..", name, "src", "main", "resources"))
        .environment(env)
        .secretsDirectory(tempDir.resolve("no-secrets"))
        .build();
  }

  /** The container's env vars with literal values (valueFrom ones are set by Kubernetes). */
  private static Map<String, String> literalEnv(Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> variable : list(container, "env")) {
      Optional.ofNullable(variable.get("value"))
          .ifPresent(value -> env.put((String) variable.get("name"), value.toString()));
    }
    return env;
  }

  private static Map<String, Object> httpGet(Map<String, Object> container, String probe) {
    return map(map(container, probe), "httpGet");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object parent, String key) {
    Object value = ((Map<String, Object>) parent).get(key);
    assertThat(value).as(key).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as(key).isInstanceOf(List.class);
    return (List<Map<String, Object>>) value;
  }

  /** All documents of samples/k8s/<name>.yaml. */
  private record Manifest(List<Map<String, Object>> documents) {
    @SuppressWarnings("unchecked")
    static Manifest read(String name) throws IOException {
      List<Map<String, Object>> documents = new ArrayList<>();
      try (Reader reader = Files.newBufferedReader(K8S.resolve(name + ".yaml"))) {
        for (Object document : new Yaml().loadAll(reader)) {
          documents.add((Map<String, Object>) document);
        }
      }
      assertThat(documents).extracting(d -> d.get("kind"))
          .contains("Deployment", "Service", "Secret", "PodDisruptionBudget");
      return new Manifest(documents);
    }

    Map<String, Object> first(String kind) {
      return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
    }

    Map<String, Object> deployment() {
      return first("Deployment");
    }
  }
}
