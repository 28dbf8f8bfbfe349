package dev.pave.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.grpc.test.EchoRequest;
import dev.pave.grpc.test.TestServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
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
    // Every Pave setting comes from the environment, as in a Kubernetes Deployment.
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("LIFECYCLE_DRAIN_DELAY_ON_SIGNAL", "0s");
    DrainTestServer.Launched child = DrainTestServer.launch(dir, name, List.of(), all);
    children.add(child.process());
    assertThat(child.grpcPort()).as("started; output:%n%s", child.jvm().stdoutText()).isPositive();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", child.grpcPort()).usePlaintext().build();
    Status reflection;
    try {
      assertThat(TestServiceGrpc.newBlockingStub(channel).echo(EchoRequest.newBuilder().setMessage("hi").build())
          .getMessage()).isEqualTo("hi");
      reflection = reflect(channel);
    } finally {
      channel.shutdownNow();
    }
    child.jvm().sigterm();
    assertThat(child.jvm().awaitExit(Duration.ofSeconds(30))).isZero();
    return new Run(child.jvm().stdoutText(), reflection);
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
