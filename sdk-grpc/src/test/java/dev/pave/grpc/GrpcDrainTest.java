package dev.pave.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pave.grpc.test.EchoReply;
import dev.pave.grpc.test.EchoRequest;
import dev.pave.grpc.test.TestServiceGrpc;
import io.grpc.Channel;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusOr;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drain under load: two Pave services in child JVMs behind one round_robin client; one gets
 * {@code /prestop} then SIGTERM while calls flow, and the resolver drops it after the drain started
 * (as Kubernetes' endpoints controller does once readiness fails). No call may fail.
 */
class GrpcDrainTest {

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();
  private final GrpcChannels channels =
      GrpcChannels.builder()
          .meterRegistry(new SimpleMeterRegistry())
          .openTelemetry(OpenTelemetry.noop())
          .build();

  @AfterEach
  void cleanUp() throws InterruptedException {
    channels.close(Duration.ofSeconds(2));
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private record Child(String name, DrainTestServer.Launched launched) {
    Process process() {
      return launched.process();
    }

    int adminPort() {
      return launched.adminPort();
    }

    InetSocketAddress grpcAddress() {
      return new InetSocketAddress("127.0.0.1", launched.grpcPort());
    }
  }

  private Child start(String name) throws IOException {
    DrainTestServer.Launched launched = DrainTestServer.launch(dir, name,
        List.of("-Dlifecycle.drain-delay=1s", "-Dlifecycle.shutdown-timeout=5s"), Map.of());
    children.add(launched.process());
    assertThat(launched.grpcPort()).as("started; output:%n%s", launched.jvm().stdoutText()).isPositive();
    return new Child(name, launched);
  }

  @Test
  void drainUnderLoad_twoServerProcessesBehindRoundRobin_zeroFailedCalls() throws Exception {
    Child one = start("one");
    Child two = start("two");
    TestResolver.Provider resolver = new TestResolver.Provider("pavedrain");
    NameResolverRegistry.getDefaultRegistry().register(resolver);
    try {
      resolver.set(List.of(one.grpcAddress(), two.grpcAddress()));
      Channel channel =
          channels.channel(
              GrpcClientSettings.builder("drain", "pavedrain:///servers")
                  .defaultDeadline(Duration.ofSeconds(5))
                  // No retry policy: a call lost by the server would show as a failure (gRPC's
                  // transparent retry of streams the server never processed stays on).
                  .retryMaxAttempts(1)
                  .build());
      Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> callers = new ArrayList<>();
      long hardStop = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (int i = 0; i < 4; i++) {
        Thread t =
            new Thread(
                () -> {
                  var stub = TestServiceGrpc.newBlockingStub(channel);
                  while (running.get() && System.nanoTime() < hardStop) {
                    try {
                      EchoReply reply =
                          stub.echo(EchoRequest.newBuilder().setMessage("m").setDelayMillis(20).build());
                      servedBy.computeIfAbsent(reply.getServedBy(), k -> new AtomicInteger()).incrementAndGet();
                    } catch (StatusRuntimeException e) {
                      failures.add(e);
                    }
                  }
                },
                "caller-" + i);
        t.start();
        callers.add(t);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(servedBy, "one") >= 20 && count(servedBy, "two") >= 20);

      // preStop: DRAINING for the drain delay; the gRPC health of "one" says NOT_SERVING at once.
      HttpClient http = HttpClient.newHttpClient();
      var prestop =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + one.adminPort() + "/prestop"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      ManagedChannel direct =
          NettyChannelBuilder.forAddress(one.grpcAddress()).usePlaintext().build();
      try {
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    HealthGrpc.newBlockingStub(direct)
                            .check(HealthCheckRequest.getDefaultInstance())
                            .getStatus()
                        == ServingStatus.NOT_SERVING);
      } finally {
        direct.shutdownNow();
      }
      // Kubernetes removes the not-ready endpoint; "one" still serves what it already has.
      resolver.set(List.of(two.grpcAddress()));
      assertThat(prestop.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      one.process().destroy(); // SIGTERM
      assertThat(one.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(one.process().exitValue()).isZero();

      int twoAfter = count(servedBy, "two");
      await().atMost(Duration.ofSeconds(20)).until(() -> count(servedBy, "two") >= twoAfter + 40);
      running.set(false);
      for (Thread t : callers) {
        t.join(10_000);
      }

      assertThat(failures).isEmpty();
      assertThat(count(servedBy, "one")).isGreaterThanOrEqualTo(20);
      // The child's JSON log: one access line per call it served, each with its trace id.
      List<String> accessLines =
          one.launched().jvm().lines().stream()
              .filter(l -> l.contains("\"log.logger\":\"dev.pave.grpc.access\""))
              .toList();
      assertThat(accessLines)
          .hasSizeGreaterThanOrEqualTo(count(servedBy, "one"))
          .allSatisfy(l -> assertThat(l).containsPattern("\"trace_id\":\"[0-9a-f]{32}\""));
    } finally {
      NameResolverRegistry.getDefaultRegistry().deregister(resolver);
    }
  }

  private static int count(Map<String, AtomicInteger> servedBy, String name) {
    AtomicInteger n = servedBy.get(name);
    return n == null ? 0 : n.get();
  }

  /** A resolver whose addresses the test sets, standing in for DNS of a headless Service. */
  static final class TestResolver extends NameResolver {
    private final Provider provider;
    private Listener2 listener;

    TestResolver(Provider provider) {
      this.provider = provider;
    }

    @Override
    public String getServiceAuthority() {
      return "servers";
    }

    @Override
    public synchronized void start(Listener2 listener) {
      this.listener = listener;
      push(provider.addresses);
    }

    synchronized void push(List<InetSocketAddress> addresses) {
      if (listener == null) {
        return;
      }
      List<EquivalentAddressGroup> groups =
          addresses.stream().map(EquivalentAddressGroup::new).toList();
      listener.onResult(
          ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(groups)).build());
    }

    @Override
    public void shutdown() {}

    static final class Provider extends NameResolverProvider {
      private final String scheme;
      private final List<TestResolver> resolvers = new CopyOnWriteArrayList<>();
      volatile List<InetSocketAddress> addresses = List.of();

      Provider(String scheme) {
        this.scheme = scheme;
      }

      void set(List<InetSocketAddress> addresses) {
        this.addresses = List.copyOf(addresses);
        resolvers.forEach(r -> r.push(this.addresses));
      }

      @Override
      public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!scheme.equals(targetUri.getScheme())) {
          return null;
        }
        TestResolver resolver = new TestResolver(this);
        resolvers.add(resolver);
        return resolver;
      }

      @Override
      public String getDefaultScheme() {
        return scheme;
      }

      @Override
      protected boolean isAvailable() {
        return true;
      }

      @Override
      protected int priority() {
        return 5;
      }
    }
  }
}
