package dev.pave.samples.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pave.samples.payments.v1.AuthorizeRequest;
import dev.pave.samples.payments.v1.PaymentServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payments sample as a real JVM, scraped every second by a real Prometheus server (Debian's
 * {@code prometheus} package, {@code /usr/bin/prometheus}): after a few real gRPC calls, Prometheus'
 * HTTP query API returns Pave's gRPC server series (with the tags the shipped alerts and dashboard
 * use) and the JVM series. Proves the whole path a platform's monitoring takes.
 */
class PrometheusScrapeTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path tempDir;

  @Test
  void prometheusScrapesPavesGrpcAndJvmSeriesFromTheRunningSample() throws Exception {
    assertThat(PROMETHEUS).as("Debian package 'prometheus' (installed by .ci/run)").isExecutable();
    try (PaymentsProcess payments = PaymentsProcess.start(tempDir, Map.of())) {
      int[] ports = payments.awaitReady(Duration.ofSeconds(60));
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", ports[0]).usePlaintext().build();
      try {
        var stub = PaymentServiceGrpc.newBlockingStub(channel);
        for (int i = 0; i < 3; i++) {
          assertThat(stub.withDeadlineAfter(30, TimeUnit.SECONDS).authorize(AuthorizeRequest
              .newBuilder().setAmountMinor(1200).setCurrency("JPY").setCardToken("tok_visa")
              .setReference("ord_" + i).build()).getApproved()).isTrue();
        }
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }

      Path config = tempDir.resolve("prometheus.yml");
      Files.writeString(config, String.join("\n",
          "global:",
          "  scrape_interval: 1s",
          "  scrape_timeout: 1s",
          "scrape_configs:",
          "  - job_name: payments",
          "    metrics_path: /metrics",
          "    static_configs:",
          "      - targets: ['127.0.0.1:" + ports[1] + "']",
          ""));
      Path log = tempDir.resolve("prometheus.log");
      Process prometheus = new ProcessBuilder(PROMETHEUS.toString(),
          "--config.file=" + config,
          "--storage.tsdb.path=" + tempDir.resolve("tsdb"),
          "--web.listen-address=127.0.0.1:0") // its own free port: one picked here could be taken first
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        int prometheusPort = listeningPort(prometheus, log);
        String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=";
        String authorizeOk = "rpc_server_call_duration_seconds_count{job=\"payments\","
            + "rpc_system=\"grpc\",rpc_service=\"payments.v1.PaymentService\","
            + "rpc_method=\"Authorize\",rpc_grpc_status_code=\"0\"}";
        await("Prometheus to have scraped the payments sample; its log: " + log)
            .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(() -> !query(api, authorizeOk).isEmpty());

        assertThat(query(api, authorizeOk)).singleElement()
            .satisfies(sample -> assertThat(value(sample)).isEqualTo(3.0));
        assertThat(query(api, "rpc_server_call_duration_seconds_bucket{job=\"payments\","
            + "rpc_method=\"Authorize\"}")).isNotEmpty();
        assertThat(query(api, "up{job=\"payments\"}")).singleElement()
            .satisfies(sample -> assertThat(value(sample)).isEqualTo(1.0));
        assertThat(query(api, "jvm_memory_used_bytes{job=\"payments\",area=\"heap\"}"))
            .isNotEmpty();
        assertThat(query(api, "jvm_threads_live_threads{job=\"payments\"}")).isNotEmpty();
        assertThat(query(api, "pave_lifecycle_state{job=\"payments\",state=\"READY\"}"))
            .singleElement().satisfies(sample -> assertThat(value(sample)).isEqualTo(1.0));
        assertThat(query(api, "pave_health_check_status{job=\"payments\","
            + "kind=\"readiness\",check=\"acquirer\"}")).isNotEmpty();
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor();
        }
      }
      assertThat(payments.terminate(Duration.ofSeconds(20))).as(payments.output()).isZero();
    }
  }

  private List<JsonNode> query(String api, String promql) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(api + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("success");
    return List.copyOf(JSON.convertValue(body.path("data").path("result"),
        JSON.getTypeFactory().constructCollectionType(List.class, JsonNode.class)));
  }

  /** A sample of an instant vector: {"metric": {...}, "value": [time, "3"]}. */
  private static double value(JsonNode sample) {
    return Double.parseDouble(sample.path("value").path(1).asText());
  }

  /** The port in Prometheus's {@code msg="Listening on" address=127.0.0.1:N} line. */
  private static int listeningPort(Process prometheus, Path log) {
    Pattern listening = Pattern.compile("msg=\"Listening on\" address=127\\.0\\.0\\.1:(\\d+)");
    int[] port = {-1};
    await("Prometheus to listen; its log: " + log).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .failFast("Prometheus exited; its log: " + log, () -> !prometheus.isAlive())
        .until(() -> {
          Matcher m = listening.matcher(Files.readString(log));
          if (m.find()) {
            port[0] = Integer.parseInt(m.group(1));
          }
          return port[0] > 0;
        });
    return port[0];
  }
}
