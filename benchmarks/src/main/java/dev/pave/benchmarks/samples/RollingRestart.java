package dev.pave.benchmarks.samples;

import dev.pave.samples.payments.v1.AuthorizeRequest;
import dev.pave.samples.payments.v1.AuthorizeResponse;
import dev.pave.samples.payments.v1.PaymentServiceGrpc;
import dev.pave.testsupport.ChildJvm;
import dev.pave.testsupport.ServiceLog;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The rolling-restart proof: 3 payments replicas as separate JVMs behind a load client at a
 * steady rate; each replica is replaced the way Kubernetes does it, in two Service topologies,
 * for Pave's payments sample and two bare grpc-java baselines. Prints one result line per run and
 * exits 1 if a Pave run failed any RPC.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.pave.benchmarks.samples.RollingRestart \
 *     samples/payments/target/payments.jar [rps=300] [kinds=pave,bare,graceful] [topologies=headless,clusterip]
 * </pre>
 *
 * <p>Replacement, per replica: start a new one and add its endpoint once ready ({@code /readyz}
 * 200 for Pave, the port accepting connections for the baselines, which have no readiness); then
 * for the old one, start preStop ({@code GET /prestop}; the baselines have none, so Kubernetes
 * signals at once) and the endpoint removal together, drop the endpoint after a propagation delay
 * of 1 s, send SIGTERM when preStop returns, SIGKILL after the 10 s grace period.
 *
 * <p>Topologies: <b>headless</b>, the client balances calls with {@code round_robin} over the
 * endpoint list (a custom NameResolver publishes it, as DNS would); <b>clusterip</b>, the client
 * connects to an L4 TCP proxy in this harness that picks an endpoint per new connection from the
 * same delayed list, as kube-proxy does. The client is plain grpc-java (no retry policy), the same
 * for every server kind: what is measured is the server's shutdown behaviour.
 */
public final class RollingRestart {
  private static final Duration PROPAGATION_DELAY = Duration.ofSeconds(1);
  private static final Duration GRACE_PERIOD = Duration.ofSeconds(10);
  private static final Duration PAVE_DRAIN_DELAY = Duration.ofSeconds(2);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
  private static final int REPLICAS = 3;
  /** Client channels ("client pods"); calls go to them in turn. */
  private static final int CLIENTS = 4;

  private final Path paymentsJar;
  private final String kind;
  private final Path workDir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Endpoints endpoints = new Endpoints();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private long loadStart;

  private void event(String what) {
    events.add(String.format("%.1fs %s", (System.nanoTime() - loadStart) / 1e9, what));
  }

  private RollingRestart(Path paymentsJar, String kind, Path workDir) {
    this.paymentsJar = paymentsJar;
    this.kind = kind;
    this.workDir = workDir;
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    int rps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    List<String> kinds = List.of((args.length > 2 ? args[2] : "pave,bare,graceful").split(","));
    List<String> topologies = List.of((args.length > 3 ? args[3] : "headless,clusterip").split(","));
    boolean paveFailed = false;
    for (String topology : topologies) {
      for (String kind : kinds) {
        Result result = runOnce(jar, kind, topology, rps);
        System.out.println(result);
        paveFailed |= kind.equals("pave") && result.failed() > 0;
      }
    }
    System.exit(paveFailed ? 1 : 0);
  }

  private static final Object RESOLVER_REGISTERED = registerResolver();

  private static Object registerResolver() {
    NameResolverRegistry.getDefaultRegistry().register(EndpointsResolverProvider.INSTANCE);
    return EndpointsResolverProvider.INSTANCE;
  }

  /**
   * One replacement of every replica for one server kind in one topology, at {@code rps} calls per
   * second. The test suite runs the short form of the proof through this.
   */
  static Result runOnce(Path paymentsJar, String kind, String topology, int rps) throws Exception {
    java.util.Objects.requireNonNull(RESOLVER_REGISTERED);
    Path work = Files.createTempDirectory("rolling-restart-" + kind + "-" + topology);
    return new RollingRestart(paymentsJar, kind, work).run(topology, rps);
  }

  record Result(String kind, String topology, int rps, long sent, long ok, long failed,
      Map<String, Long> failures, Duration took) {
    @Override
    public String toString() {
      return String.format("| %s | %s | %d | %d | %d | %d | %s | %.1f s |", kind, topology, rps,
          sent, ok, failed, failures.isEmpty() ? "-" : failures.toString(), took.toMillis() / 1000.0);
    }
  }

  private Result run(String topology, int rps) throws Exception {
    long started = System.nanoTime();
    List<Replica> replicas = new ArrayList<>();
    for (int i = 0; i < REPLICAS; i++) {
      replicas.add(Replica.start(this, i));
    }
    for (Replica replica : replicas) {
      replica.awaitReady();
      endpoints.add(replica.grpcAddress);
    }
    EndpointsResolverProvider.INSTANCE.use(endpoints); // before the channel builds its resolver
    TcpProxy proxy = topology.equals("clusterip") ? TcpProxy.start(endpoints) : null;
    // Several client channels, as several client pods would have: behind a ClusterIP each one is
    // pinned to one endpoint, so a replacement meets as many connections as kube-proxy spread.
    List<ManagedChannel> channels = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      channels.add((proxy != null
          ? ManagedChannelBuilder.forAddress("127.0.0.1", proxy.port())
              .defaultLoadBalancingPolicy("pick_first")
          : ManagedChannelBuilder.forTarget(EndpointsResolverProvider.SCHEME + ":///payments")
              .defaultLoadBalancingPolicy("round_robin"))
          .usePlaintext().build());
    }
    // Warm-up, not counted: the first calls on cold JVMs (class loading, JIT) can take seconds on a
    // loaded 2-core machine, for every kind of server alike; what is measured is the restart.
    Load warmup = new Load(channels, rps);
    warmup.start();
    warmup.awaitSent(rps * 3L);
    warmup.stop();
    Load load = new Load(channels, rps);
    try {
      loadStart = System.nanoTime();
      load.start();
      load.awaitSent(rps * 2L); // two seconds of steady load before the first replacement
      int next = REPLICAS;
      for (int i = 0; i < REPLICAS; i++) {
        Replica fresh = Replica.start(this, next++);
        event("start replica " + (next - 1));
        fresh.awaitReady();
        endpoints.add(fresh.grpcAddress);
        event("added replica " + (next - 1));
        replicas.get(i).terminateLikeKubernetes(endpoints);
        event("replica " + i + " gone");
        replicas.set(i, fresh);
      }
      load.awaitSent(load.sent() + rps * 2L); // two more seconds on the new replicas
    } finally {
      load.stop();
      for (ManagedChannel channel : channels) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (proxy != null) {
        proxy.close();
      }
      for (Replica replica : replicas) {
        replica.kill();
      }
    }
    if (!load.failureSeconds.isEmpty()) {
      Map<Long, Long> bySecond = new TreeMap<>();
      load.failureSeconds.forEach((second, n) -> bySecond.put(second, n.sum()));
      System.err.println("failures by second since the load started: " + bySecond
          + "; events: " + events);
    }
    return new Result(kind, topology, rps, load.sent(), load.ok.sum(), load.failed(),
        load.failures(), Duration.ofNanos(System.nanoTime() - started));
  }

  /** One server JVM. */
  private static final class Replica {
    /** {@link BaselinePaymentsServer}'s line naming its port (Pave's: {@link ServiceLog}). */
    private static final String BASELINE_PORT = "listening on port (\\d+)";

    final RollingRestart harness;
    final ChildJvm child;
    final Process process;
    /** Known once {@link #awaitReady()} returned. */
    InetSocketAddress grpcAddress;
    int adminPort;

    private Replica(RollingRestart harness, ChildJvm child) {
      this.harness = harness;
      this.child = child;
      this.process = child.process();
    }

    /**
     * Starts a replica on ports it picks itself (port 0), as every pod has its own IP: a port the
     * harness picked and closed could be taken by another socket before the replica binds it.
     */
    static Replica start(RollingRestart harness, int index) throws IOException {
      ChildJvm.Builder builder;
      if (harness.kind.equals("pave")) {
        Path demo = harness.paymentsJar.getParent().getParent().resolve("demo");
        builder = ChildJvm.builder(harness.workDir.resolve("replica-" + index), harness.paymentsJar).env(Map.of(
            "GRPC_PORT", "0",
            "GRPC_SERVER_HOST", "127.0.0.1",
            "ADMIN_PORT", "0",
            "ADMIN_HOST", "127.0.0.1",
            "LIFECYCLE_DRAIN_DELAY", PAVE_DRAIN_DELAY.toMillis() + "ms",
            "LIFECYCLE_SHUTDOWN_TIMEOUT", "5s",
            "LIFECYCLE_TELEMETRY_FLUSH_TIMEOUT", "1s",
            "LIFECYCLE_TERMINATION_GRACE_PERIOD", GRACE_PERIOD.toSeconds() + "s",
            "SECRETS_DIR", harness.workDir.resolve("no-secret-volume").toString(),
            "SECRETS_LOCAL_FILE", demo.resolve("secrets.local.age").toString()));
        builder.env(Map.of(
            "PAVE_AGE_IDENTITY_FILE", demo.resolve("demo-age-identity.txt").toString(),
            "LOGGING_FORMAT", "json"));
      } else {
        builder = ChildJvm.builder(harness.workDir.resolve("replica-" + index), BaselinePaymentsServer.class)
            .args("0", harness.kind);
      }
      // test-support's launcher, as the SDK's process tests use it: stdout and stderr through a
      // pipe into a file in the replica's directory; full JIT, as deployed.
      builder.withoutDefaultJvmArgs().jvmArgs(List.of("-Xmx192m")).mergeStderr();
      return new Replica(harness, builder.start());
    }

    /**
     * Waits for the replica's ports (from its log) and its readiness; fails with its log when it
     * exits first.
     */
    void awaitReady() throws Exception {
      Duration timeout = Duration.ofSeconds(90);
      long deadline = System.nanoTime() + timeout.toNanos();
      if (harness.kind.equals("pave")) {
        adminPort = Integer.parseInt(child.awaitOutput(ServiceLog.ADMIN_PORT, timeout));
        grpcAddress = new InetSocketAddress("127.0.0.1", Integer.parseInt(child.awaitOutput(ServiceLog.GRPC_PORT, timeout)));
      } else {
        grpcAddress = new InetSocketAddress("127.0.0.1", Integer.parseInt(child.awaitOutput(BASELINE_PORT, timeout)));
      }
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("replica exited " + process.exitValue() + "; its output:\n" + child.stdoutText());
        }
        if (ready()) {
          return;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      throw new IllegalStateException("replica not ready within 90 s; its output:\n" + child.stdoutText());
    }

    private boolean ready() {
      try {
        if (harness.kind.equals("pave")) {
          return harness.http.send(HttpRequest.newBuilder(admin("/readyz"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() == 200;
        }
        try (Socket socket = new Socket()) {
          socket.connect(grpcAddress, 1000);
          return true;
        }
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    private URI admin(String path) {
      return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    /** preStop and endpoint removal together; SIGTERM when preStop returns; SIGKILL after grace. */
    void terminateLikeKubernetes(Endpoints endpoints) throws Exception {
      long start = System.nanoTime();
      CompletableFuture<Void> removal = CompletableFuture.runAsync(
          () -> endpoints.remove(grpcAddress),
          CompletableFuture.delayedExecutor(PROPAGATION_DELAY.toMillis(), TimeUnit.MILLISECONDS));
      if (harness.kind.equals("pave")) {
        harness.http.send(HttpRequest.newBuilder(admin("/prestop")).timeout(GRACE_PERIOD).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      process.destroy(); // SIGTERM
      long left = GRACE_PERIOD.toNanos() - (System.nanoTime() - start);
      if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
        process.destroyForcibly().waitFor(); // SIGKILL
      }
      removal.get();
    }

    void kill() {
      child.close();
    }
  }

  /** The endpoint list, as the endpoints controller keeps it; subscribers see every change. */
  static final class Endpoints {
    private final List<InetSocketAddress> addresses = new CopyOnWriteArrayList<>();
    private final List<Consumer<List<InetSocketAddress>>> listeners = new CopyOnWriteArrayList<>();

    synchronized void add(InetSocketAddress address) {
      addresses.add(address);
      publish();
    }

    synchronized void remove(InetSocketAddress address) {
      addresses.remove(address);
      publish();
    }

    List<InetSocketAddress> snapshot() {
      return List.copyOf(addresses);
    }

    synchronized void subscribe(Consumer<List<InetSocketAddress>> listener) {
      listeners.add(listener);
      listener.accept(snapshot());
    }

    private void publish() {
      List<InetSocketAddress> now = snapshot();
      listeners.forEach(l -> l.accept(now));
    }
  }

  /** "endpoints:///payments": publishes the harness's endpoint list to the channel, as DNS would. */
  static final class EndpointsResolverProvider extends NameResolverProvider {
    static final String SCHEME = "endpoints";
    static final EndpointsResolverProvider INSTANCE = new EndpointsResolverProvider();
    private volatile Endpoints endpoints;

    void use(Endpoints current) {
      this.endpoints = current;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
      if (!SCHEME.equals(targetUri.getScheme())) {
        return null;
      }
      Endpoints source = endpoints;
      return new NameResolver() {
        @Override
        public String getServiceAuthority() {
          return "payments";
        }

        @Override
        public void start(Listener2 listener) {
          source.subscribe(list -> args.getSynchronizationContext().execute(() -> {
            List<EquivalentAddressGroup> groups = new ArrayList<>();
            for (SocketAddress address : list) {
              groups.add(new EquivalentAddressGroup(address));
            }
            listener.onResult2(ResolutionResult.newBuilder()
                .setAddressesOrError(io.grpc.StatusOr.fromValue(groups))
                .setAttributes(Attributes.EMPTY).build());
          }));
        }

        @Override
        public void shutdown() {}
      };
    }

    @Override
    public String getDefaultScheme() {
      return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
      return true;
    }

    @Override
    protected int priority() {
      return 5;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
      return List.of(InetSocketAddress.class);
    }
  }

  /** kube-proxy in miniature: each new connection goes to the next endpoint of the current list. */
  static final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final Endpoints endpoints;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tcp-proxy");
      t.setDaemon(true);
      return t;
    });
    private final AtomicInteger next = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TcpProxy(ServerSocket server, Endpoints endpoints) {
      this.server = server;
      this.endpoints = endpoints;
    }

    static TcpProxy start(Endpoints endpoints) throws IOException {
      TcpProxy proxy = new TcpProxy(
          new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), endpoints);
      proxy.threads.execute(proxy::acceptLoop);
      return proxy;
    }

    int port() {
      return server.getLocalPort();
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          sockets.add(client);
          List<InetSocketAddress> list = endpoints.snapshot();
          InetSocketAddress target = list.get(Math.floorMod(next.getAndIncrement(), list.size()));
          threads.execute(() -> connect(client, target));
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void connect(Socket client, InetSocketAddress target) {
      Socket upstream = new Socket();
      sockets.add(upstream);
      try {
        upstream.connect(target, 1000);
      } catch (IOException e) {
        closeQuietly(client); // like a refused connection behind kube-proxy
        closeQuietly(upstream);
        return;
      }
      threads.execute(() -> pump(client, upstream));
      pump(upstream, client);
    }

    private static void pump(Socket from, Socket to) {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // the other side went away: close both below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }

    private static void closeQuietly(Socket socket) {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      sockets.forEach(TcpProxy::closeQuietly);
      threads.shutdownNow();
    }
  }

  /** Unary calls at a fixed rate, each with a 5 s deadline; counts outcomes by status code. */
  private static final class Load {
    private final List<PaymentServiceGrpc.PaymentServiceFutureStub> stubs = new ArrayList<>();
    private final int rps;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong sent = new AtomicLong();
    final LongAdder ok = new LongAdder();
    private final Map<Status.Code, LongAdder> failures = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final long t0 = System.nanoTime();
    /** Failed calls by second since the load started (when they failed). */
    final Map<Long, LongAdder> failureSeconds = new ConcurrentHashMap<>();

    Load(List<ManagedChannel> channels, int rps) {
      channels.forEach(channel -> stubs.add(PaymentServiceGrpc.newFutureStub(channel)));
      this.rps = rps;
    }

    void start() {
      ticker.scheduleAtFixedRate(this::call, 0, 1_000_000_000L / rps, TimeUnit.NANOSECONDS);
    }

    private void call() {
      long n = sent.incrementAndGet();
      inFlight.incrementAndGet();
      var future = stubs.get((int) (n % stubs.size())).withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .authorize(AuthorizeRequest.newBuilder().setAmountMinor(1200).setCurrency("JPY")
              .setCardToken("tok_visa").setReference("load-" + n).build());
      Futures.addCallback(future, new FutureCallback<AuthorizeResponse>() {
        @Override
        public void onSuccess(AuthorizeResponse result) {
          ok.increment();
          inFlight.decrementAndGet();
        }

        @Override
        public void onFailure(Throwable t) {
          failureSeconds.computeIfAbsent((System.nanoTime() - t0) / 1_000_000_000L, k -> new LongAdder())
              .increment();
          failures.computeIfAbsent(Status.fromThrowable(t).getCode(), c -> new LongAdder())
              .increment();
          inFlight.decrementAndGet();
        }
      }, MoreExecutors.directExecutor());
    }

    long sent() {
      return sent.get();
    }

    void awaitSent(long count) throws InterruptedException {
      while (sent.get() < count) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
    }

    void stop() throws InterruptedException {
      ticker.shutdown();
      ticker.awaitTermination(5, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + CALL_DEADLINE.toNanos() + TimeUnit.SECONDS.toNanos(1);
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
    }

    long failed() {
      return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> failures() {
      Map<String, Long> result = new TreeMap<>();
      failures.forEach((code, count) -> result.put(code.name(), count.sum()));
      return result;
    }
  }

}
