package dev.pave.samples.payments;

import dev.pave.config.Config;
import dev.pave.config.ConfigBuilder;
import dev.pave.core.Pave;
import dev.pave.core.RunningService;
import dev.pave.grpc.PaveGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The payments sample started in this JVM on 127.0.0.1 with OS-chosen ports, a hermetic
 * configuration (temp dirs for config and secrets, the API key as an in-memory secret) and short
 * lifecycle delays. For tests only.
 */
final class InProcessPayments implements AutoCloseable {
  static final String TEST_API_KEY = "sk_test_3c9e1d";

  private final Config config;
  private final RunningService service;
  private final ManagedChannel channel;
  private final HttpClient http = HttpClient.newHttpClient();

  private InProcessPayments(Config config) {
    this.config = config;
    this.service = Pave.service("payments").config(config).start(PaymentsMain::setup);
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort()).usePlaintext().build();
  }

  static InProcessPayments start(Path tempDir, Map<String, String> overrides) {
    ConfigBuilder builder = Config.builder()
        .configDirectory(tempDir.resolve("no-config-dir"))
        .secretsDirectory(tempDir.resolve("no-secrets-dir"))
        .localSecretsFile(tempDir.resolve("no-secrets.local.age"))
        .override("service.name", "payments")
        .override("grpc.port", "0")
        .override("grpc.server.host", "127.0.0.1")
        .override("admin.port", "0")
        .override("admin.host", "127.0.0.1")
        .override("lifecycle.drain-delay", "0s")
        .override("health.check-interval", "100ms")
        .secret("payments.api-key", TEST_API_KEY);
    overrides.forEach(builder::override);
    return new InProcessPayments(builder.build());
  }

  RunningService service() {
    return service;
  }

  int grpcPort() {
    return PaveGrpc.from(service.context()).server().port();
  }

  ManagedChannel channel() {
    return channel;
  }

  HttpResponse<String> admin(String method, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + service.adminAddress().getPort() + path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    service.stop();
    config.close();
  }
}
