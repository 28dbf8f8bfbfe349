package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes injects {@code <SERVICE>_PORT=tcp://<cluster IP>:<port>} into every pod for every
 * Service of its namespace: with a Service named {@code admin} or {@code grpc} beside it, a Pave
 * service read {@code ADMIN_PORT}/{@code GRPC_PORT} as its port and failed to start.
 */
class ServiceLinkTest {

  @Test
  void aServiceLinksPortVariable_isNotConfiguration_butAPlainValueStillIs() {
    Config config = Config.builder()
        .environment(Map.of(
            "ADMIN_PORT", "tcp://10.96.0.12:8081",
            "ADMIN_SERVICE_HOST", "10.96.0.12",
            "ADMIN_PORT_8081_TCP", "tcp://10.96.0.12:8081",
            "GRPC_PORT", "udp://[fd00::12]:8080",
            "WORKER_PORT", "9000"))
        .systemProperties(Map.of())
        .build();

    assertThat(config.find("admin.port", Integer.class)).isEmpty();
    assertThat(config.find("grpc.port", Integer.class)).isEmpty();
    assertThat(config.find("worker.port", Integer.class)).contains(9000);
    assertThat(config.entries()).extracting(ConfigEntry::key).doesNotContain("admin.port", "grpc.port");
  }

  /**
   * Both checks that refuse unknown variables (a record's binding, and requireAllRead for the roots
   * no record binds) share one rule for service links: {@code SECRETS_PORTAL} used to pass the
   * second as "a link" ({@code startsWith("PORT")}) while the first refused it.
   */
  @Test
  void serviceLinkVariablesAreNotUnknownKeys_butANameThatOnlyStartsLikeOneIs() {
    Config config = Config.builder()
        .environment(Map.of(
            "SECRETS_SERVICE_HOST", "10.96.0.13",
            "SECRETS_SERVICE_PORT_HTTP", "80",
            "SECRETS_PORT_80_TCP_ADDR", "10.96.0.13",
            "SECRETS_PORTAL", "https://vault.example"))
        .systemProperties(Map.of())
        .build();

    assertThatThrownBy(() -> config.requireAllRead(java.util.List.of("secrets")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SECRETS_PORTAL")
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(1));
  }
}
