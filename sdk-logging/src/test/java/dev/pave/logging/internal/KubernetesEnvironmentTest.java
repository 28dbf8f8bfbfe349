package dev.pave.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesEnvironmentTest {

  @TempDir Path dir;

  @Test
  void downwardApiVariablesWin() {
    var k8s = KubernetesEnvironment.detect(Map.of("POD_NAME", "p-1", "POD_NAMESPACE", "shop", "HOSTNAME", "h"), dir.resolve("none"));
    assertThat(k8s.podName()).contains("p-1");
    assertThat(k8s.namespace()).contains("shop");
  }

  @Test
  void inClusterWithoutDownwardApi_usesHostnameAndTheServiceAccountNamespace() throws Exception {
    Path namespace = Files.writeString(dir.resolve("namespace"), "payments\n");
    var k8s = KubernetesEnvironment.detect(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "HOSTNAME", "payments-abc"), namespace);
    assertThat(k8s.podName()).contains("payments-abc");
    assertThat(k8s.namespace()).contains("payments");
  }

  @Test
  void outsideACluster_hostnameIsNotAPod() {
    var k8s = KubernetesEnvironment.detect(Map.of("HOSTNAME", "laptop"), dir.resolve("none"));
    assertThat(k8s.podName()).isEmpty();
    assertThat(k8s.namespace()).isEmpty();
  }
}
