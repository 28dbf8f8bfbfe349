package dev.pave.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pave.config.Config;
import dev.pave.config.ConfigException;
import dev.pave.core.LifecycleState;
import dev.pave.core.Pave;
import dev.pave.core.RunningService;
import dev.pave.core.ServiceContext;
import dev.pave.grpc.test.EchoReply;
import dev.pave.grpc.test.EchoRequest;
import dev.pave.grpc.test.TestServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** sdk-grpc inside a real Pave service (sdk-core runtime, admin server on 127.0.0.1). */
class PaveGrpcTest {

  private static Config config(Map<String, String> extra) {
    var builder =
        Config.builder()
            .environment(Map.of())
            .systemProperties(Map.of())
            .override("admin.host", "127.0.0.1")
            .override("admin.port", "0")
            .override("grpc.port", "0")
            .override("grpc.server.host", "127.0.0.1")
            .override("lifecycle.drain-delay", "300ms")
            .override("lifecycle.shutdown-timeout", "3s");
    extra.forEach(builder::override);
    return builder.build();
  }

  private static String get(RunningService running, String path) throws Exception {
    var address = running.adminAddress();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + address.getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Configuration of a service whose channel "b" points at {@code serviceB}'s gRPC server. */
  private static Config callingB(RunningService serviceB) {
    return config(Map.of(
        "grpc.clients.b.target", "dns:///127.0.0.1:" + PaveGrpc.from(serviceB.context()).server().port()));
  }

  @Test
  void aStoppedServiceIsReleased_soTestsAndEmbeddedStartsDoNotAccumulateServices() throws Exception {
    WeakReference<ServiceContext> context;
    WeakReference<PaveGrpc> grpc;
    try (RunningService running =
        Pave.service("grpc-released")
            .config(config(Map.of()))
            .start(svc -> PaveGrpc.from(svc).server().addService(new EchoService("R", null)))) {
      context = new WeakReference<>(running.context());
      grpc = new WeakReference<>(PaveGrpc.from(running.context()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((context.get() != null || grpc.get() != null) && System.nanoTime() < deadline) {
      System.gc();
      Thread.onSpinWait();
    }
    assertThat(grpc.get()).as("PaveGrpc of a stopped service").isNull();
    assertThat(context.get()).as("ServiceContext of a stopped service").isNull();
  }

  @Test
  void theServerRunsWithTheService_metricsOnMetrics_healthFollowsReadinessAndPrestop()
      throws Exception {
    EchoService b = new EchoService("B", null);
    try (RunningService serviceB =
            Pave.service("grpc-b")
                .config(config(Map.of()))
                .start(svc -> PaveGrpc.from(svc).server().addService(b));
        RunningService serviceA =
            Pave.service("grpc-a")
                .config(callingB(serviceB))
                .start(
                    svc -> {
                      PaveGrpc grpc = PaveGrpc.from(svc);
                      grpc.server().addService(new EchoService("A", grpc.channel("b")));
                    })) {
      int port = PaveGrpc.from(serviceA.context()).server().port();
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        var health = HealthGrpc.newBlockingStub(channel);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    health.check(HealthCheckRequest.getDefaultInstance()).getStatus()
                        == ServingStatus.SERVING);

        EchoReply reply =
            TestServiceGrpc.newBlockingStub(channel)
                .echo(EchoRequest.newBuilder().setMessage("hi").setHops(1).build());
        assertThat(reply.getMessage()).isEqualTo("hi");
        assertThat(b.invocations).hasValue(1);

        String metrics = get(serviceA, "/metrics");
        String[] tags = {
          "rpc_system=\"grpc\"", "rpc_service=\"pave.grpc.test.TestService\"", "rpc_method=\"Echo\""
        };
        assertThat(
                Scrape.value(
                    metrics,
                    "rpc_server_call_duration_seconds_count",
                    Scrape.and(tags, "rpc_grpc_status_code=\"0\"")))
            .isEqualTo(1);
        assertThat(
                Scrape.value(
                    metrics,
                    "rpc_client_call_duration_seconds_count",
                    Scrape.and(tags, "rpc_grpc_status_code=\"0\"")))
            .isEqualTo(1);
        assertThat(Scrape.value(metrics, "rpc_server_calls_started_total", tags)).isEqualTo(1);
        assertThat(
                Scrape.value(
                    metrics, "resilience4j_circuitbreaker_state", "name=\"b\"", "state=\"closed\""))
            .isEqualTo(1);
        // Prometheus' own linter accepts sdk-grpc's families (names, units, histogram shape).
        String grpcFamilies =
            metrics
                .lines()
                .filter(
                    l ->
                        l.matches("(# (HELP|TYPE) )?(rpc_|resilience4j_circuitbreaker_).*"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        assertThat(grpcFamilies).contains("# TYPE rpc_server_call_duration_seconds histogram");
        // Pave's gRPC families lint clean (no accepted findings, unlike the JVM's).
        dev.pave.testsupport.Promtool.Result lint = dev.pave.testsupport.Promtool.run(grpcFamilies, "check", "metrics");
        assertThat(lint.exit()).as("promtool check metrics: %s", lint.output()).isZero();

        // GET /prestop: DRAINING for 300ms; gRPC health says NOT_SERVING, calls still served.
        CompletableFuture<String> prestop =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return get(serviceA, "/prestop");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    health.check(HealthCheckRequest.getDefaultInstance()).getStatus()
                        == ServingStatus.NOT_SERVING);
        assertThat(serviceA.state()).isEqualTo(LifecycleState.DRAINING);
        assertThat(
                TestServiceGrpc.newBlockingStub(channel)
                    .echo(EchoRequest.newBuilder().setMessage("still").build())
                    .getMessage())
            .isEqualTo("still");
        prestop.get(5, TimeUnit.SECONDS);

        serviceA.stop();
        assertThat(serviceA.state()).isEqualTo(LifecycleState.STOPPED);
        assertThatThrownBy(
                () ->
                    TestServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .echo(EchoRequest.newBuilder().setMessage("late").build()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void clientChannelsCloseOnlyAfterTheServerDrained() throws Exception {
    EchoService b = new EchoService("B", null);
    AtomicReference<EchoService> a = new AtomicReference<>();
    try (RunningService serviceB =
            Pave.service("grpc-b")
                .config(config(Map.of()))
                .start(svc -> PaveGrpc.from(svc).server().addService(b));
        RunningService serviceA =
            Pave.service("grpc-a")
                .config(callingB(serviceB))
                .start(
                    svc -> {
                      PaveGrpc grpc = PaveGrpc.from(svc);
                      a.set(new EchoService("A", grpc.channel("b")));
                      grpc.server().addService(a.get());
                    })) {
      int port = PaveGrpc.from(serviceA.context()).server().port();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        // A waits 800ms before calling B: by then A is stopping (300ms drain, then STOPPING).
        var inFlight =
            TestServiceGrpc.newFutureStub(channel)
                .echo(
                    EchoRequest.newBuilder()
                        .setMessage("late-forward")
                        .setHops(1)
                        .setForwardDelayMillis(800)
                        .build());
        await().atMost(Duration.ofSeconds(5)).until(() -> a.get().invocations.get() == 1);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(serviceA::stop);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> serviceA.state() == LifecycleState.STOPPING);

        assertThat(inFlight.get(10, TimeUnit.SECONDS).getServedBy()).isEqualTo("A");
        assertThat(b.invocations).hasValue(1);
        stopping.get(10, TimeUnit.SECONDS);
        assertThat(serviceA.state()).isEqualTo(LifecycleState.STOPPED);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aBadGrpcKeyFailsStartupNamingTheKey() {
    assertThatThrownBy(
            () ->
                Pave.service("grpc-bad")
                    .config(config(Map.of("grpc.server.default-deadline", "forever")))
                    .start(svc -> PaveGrpc.from(svc).server()))
        .hasStackTraceContaining("grpc.server.default-deadline");
  }

  @Test
  void theSameServiceGivesTheSamePaveGrpc() {
    try (RunningService running =
        Pave.service("grpc-same")
            .config(config(Map.of("grpc.clients.x.target", "dns:///127.0.0.1:1")))
            .start(
                svc -> {
                  assertThat(PaveGrpc.from(svc)).isSameAs(PaveGrpc.from(svc));
                  assertThat(PaveGrpc.from(svc).channel("x")).isSameAs(PaveGrpc.from(svc).channel("x"));
                  assertThatThrownBy(() -> PaveGrpc.from(svc).channel("missing"))
                      .isInstanceOf(ConfigException.class)
                      .hasMessageContaining("grpc.clients.missing.target");
                })) {
      assertThat(running.state()).isEqualTo(LifecycleState.READY);
    }
  }
}
