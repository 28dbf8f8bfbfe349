package dev.pave.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pave.grpc.test.EchoRequest;
import dev.pave.grpc.test.TestServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 seen from outside: a Pave gRPC service in a child JVM, configured only by real
 * environment variables (no file sets any {@code grpc.*} key), with stdout read through a pipe.
 * {@code GRPC_SERVER_ACCESS_LOG_LEVEL=OFF} removes the access log and
 * {@code GRPC_SERVER_REFLECTION_ENABLED=false} removes reflection; the same service without them
 * logs the call and answers reflection.
 */
class EnvOverrideProcessTest {

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private record Run(String stdout, Status reflection) {}

  /** Starts the service with {@code env}, makes one call and one reflection request, stops it with SIGTERM. */
  private Run run(String name, Map<String, String> env) throws Exception {
    Path portFile = dir.resolve(name + ".port");
    int adminPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      adminPort = socket.getLocalPort();
    }
    String java = System.getProperty("pave.test.java", ProcessHandle.current().info().command().orElse("java"));
    var pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        // The test harness's own settings (not Pave keys) as system properties.
        "-Dtest.name=" + name, "-Dtest.port-file=" + portFile, DrainTestServer.class.getName());
    // Every Pave setting comes from the environment, as in a Kubernetes Deployment.
    pb.environment().putAll(Map.of("GRPC_PORT", "0", "GRPC_SERVER_HOST", "127.0.0.1", "ADMIN_HOST", "127.0.0.1",
        "ADMIN_PORT", Integer.toString(adminPort), "OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none",
        "OTEL_LOGS_EXPORTER", "none", "LIFECYCLE_DRAIN_DELAY_ON_SIGNAL", "0s"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process process = pb.start();
    children.add(process);
    CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .failFast(() -> !process.isAlive())
        .until(() -> Files.exists(portFile));
    int port = Integer.parseInt(Files.readString(portFile).trim());
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    Status reflection;
    try {
      assertThat(TestServiceGrpc.newBlockingStub(channel).echo(EchoRequest.newBuilder().setMessage("hi").build())
          .getMessage()).isEqualTo("hi");
      reflection = reflect(channel);
    } finally {
      channel.shutdownNow();
    }
    // SIGTERM through the handle: Process.destroy() would also close our end of the stdout pipe.
    process.toHandle().destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    return new Run(stdout.get(10, TimeUnit.SECONDS), reflection);
  }

  private static Status reflect(ManagedChannel channel) throws Exception {
    var result = new CompletableFuture<Status>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new StreamObserver<ServerReflectionResponse>() {
          @Override
          public void onNext(ServerReflectionResponse response) {
            result.complete(Status.OK);
          }

          @Override
          public void onError(Throwable t) {
            result.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            result.complete(Status.OK);
          }
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return result.get(10, TimeUnit.SECONDS);
  }

  private static long accessLines(String stdout) {
    return stdout.lines().filter(l -> l.contains("\"log.logger\":\"dev.pave.grpc.access\"")).count();
  }

  @Test
  void accessLogAndReflectionFollowEnvironmentVariables() throws Exception {
    Run defaults = run("defaults", Map.of());
    Run off = run("off", Map.of("GRPC_SERVER_ACCESS_LOG_LEVEL", "OFF", "GRPC_SERVER_REFLECTION_ENABLED", "false"));

    assertThat(accessLines(defaults.stdout())).as(defaults.stdout()).isEqualTo(1);
    assertThat(defaults.reflection().getCode()).isEqualTo(Status.Code.OK);

    // The log was flushed at exit (the lifecycle lines are there), yet no access line.
    assertThat(off.stdout()).contains("\"log.logger\":\"dev.pave").contains("stopped");
    assertThat(accessLines(off.stdout())).as(off.stdout()).isZero();
    assertThat(off.reflection().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }
}
