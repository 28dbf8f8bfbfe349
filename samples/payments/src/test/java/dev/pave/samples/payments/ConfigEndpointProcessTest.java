package dev.pave.samples.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 on the payments sample, configured only through environment variables: {@code /config}
 * shows what is in effect under each key's declared name with its real source, and a misspelled
 * Pave variable stops startup with a suggestion.
 */
class ConfigEndpointProcessTest {

  @TempDir Path tempDir;

  @Test
  void configListsEnvironmentOverridesUnderTheirKeysWithTheirSource() throws Exception {
    try (PaymentsProcess payments = PaymentsProcess.start(tempDir, Map.of(
        "ADMIN_EXPOSE_CONFIG", "true",
        "GRPC_SERVER_ACCESS_LOG_LEVEL", "WARN",
        "GRPC_SERVER_KEEPALIVE_PERMIT_TIME", "1s",
        "PAYMENTS_ACQUIRER_LATENCY", "5ms",
        "LOGGING_LEVEL_ROOT", "INFO",
        "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "/nonexistent/roots.pem"))) {
      int[] ports = payments.awaitReady(Duration.ofSeconds(60));
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[1] + "/config")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, JsonNode> byKey = new HashMap<>();
      for (JsonNode entry : new ObjectMapper().readTree(response.body()).get("entries")) {
        byKey.put(entry.get("key").asText(), entry);
      }

      assertEntry(byKey, "grpc.port", "0", "env GRPC_PORT");
      assertEntry(byKey, "grpc.server.host", "127.0.0.1", "env GRPC_SERVER_HOST");
      assertEntry(byKey, "grpc.server.access-log.level", "WARN", "env GRPC_SERVER_ACCESS_LOG_LEVEL");
      assertEntry(byKey, "grpc.server.keepalive.permit-time", "1s", "env GRPC_SERVER_KEEPALIVE_PERMIT_TIME");
      assertEntry(byKey, "logging.format", "json", "env LOGGING_FORMAT");
      assertEntry(byKey, "logging.level.root", "INFO", "env LOGGING_LEVEL_ROOT");
      assertEntry(byKey, "payments.acquirer-latency", "5ms", "env PAYMENTS_ACQUIRER_LATENCY");
      assertEntry(byKey, "payments.approval-limit", "1000000", "@DefaultValue on PaymentsConfig.approvalLimit");
      assertEntry(byKey, "admin.expose-config", "true", "env ADMIN_EXPOSE_CONFIG");
      // Pave's defaults nobody set are in effect too, each named by the record that declares it.
      assertEntry(byKey, "grpc.server.max-concurrent-streams", "256", "@DefaultValue on ServerKeys.maxConcurrentStreams");
      assertEntry(byKey, "logging.async.queue-size", "32768", "@DefaultValue on Async.queueSize");
      assertEntry(byKey, "lifecycle.drain-delay", "200ms", "env LIFECYCLE_DRAIN_DELAY"); // PaymentsProcess sets it
      assertEntry(byKey, "lifecycle.shutdown-timeout", "20s", "@DefaultValue on Lifecycle.shutdownTimeout");
      assertThat(byKey.get("payments.api-key").get("value").asText()).isEqualTo("******");
      assertThat(byKey.get("payments.api-key").get("secret").asBoolean()).isTrue();
      // Not Pave keys, nor mangled names of them.
      assertThat(byKey.keySet()).noneMatch(k -> k.contains("ssl") || k.contains("access.log") || k.contains("permit.time"));
      assertThat(payments.terminate(Duration.ofSeconds(30))).isZero();
    }
  }

  private static void assertEntry(Map<String, JsonNode> byKey, String key, String value, String source) {
    assertThat(byKey).as("/config lists %s; it has %s", key, byKey.keySet()).containsKey(key);
    assertThat(byKey.get(key).get("value").asText()).as(key).isEqualTo(value);
    assertThat(byKey.get(key).get("source").asText()).as(key).isEqualTo(source);
  }

  @Test
  void aMisspelledPaveVariableStopsStartupWithASuggestion() throws Exception {
    try (PaymentsProcess payments = PaymentsProcess.start(tempDir, Map.of("GRPC_SERVER_ACESS_LOG_LEVEL", "OFF"))) {
      assertThat(payments.awaitExit(Duration.ofSeconds(60))).isNotZero();
      assertThat(payments.output())
          .contains("GRPC_SERVER_ACESS_LOG_LEVEL")
          .contains("did you mean grpc.server.access-log.level (env GRPC_SERVER_ACCESS_LOG_LEVEL)?");
    }
  }
}
