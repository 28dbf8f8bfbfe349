package dev.pave.benchmarks.grpc;

import dev.pave.benchmarks.LoadRun;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * gRPC overhead as deployed: every server is its own JVM, started the way a container runs it
 * (configured by environment variables only, stdout through a real pipe into a file that a reader
 * process, {@code cat}, drains, as a container runtime does), and this JVM is the separate load
 * generator. Peer: {@link BareEchoServer}, plain grpc-java hosting the same {@link EchoService}.
 *
 * <p>Servers: {@code BARE}; {@code PAVE} ({@link PaveEchoService} at its defaults: access log at
 * INFO, tracing at the default sampler, metrics on); {@code PAVE_ACCESS_LOG_OFF} (the same with
 * {@code GRPC_SERVER_ACCESS_LOG_LEVEL=OFF}); {@code PAVE_SAMPLED_10} (the same with {@code
 * OTEL_TRACES_SAMPLER=parentbased_traceidratio}, {@code OTEL_TRACES_SAMPLER_ARG=0.1}). All run
 * for the whole benchmark; only one is under load at a time.
 *
 * <p>For each cell (outstanding calls x payload) the rounds alternate between the servers in a
 * rotating order; round 1 is a warm-up and is discarded; each load period also starts with {@code
 * --warmup} seconds that are not recorded. Reported per server: the medians over rounds of
 * calls/s, p50 and p99, and the medians of the per-round ratios to {@code BARE} (servers of one
 * round ran back to back, under the same machine load). Closed loop: {@code outstanding} calls
 * are always in flight on one channel (one HTTP/2 connection, as one client pod). Bounded: it
 * stops by itself after cells x servers x rounds x (warmup + duration) seconds.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar dev.pave.benchmarks.grpc.AsDeployedBenchmark \
 *     --outstanding=16,64 --payload=64,16384 --rounds=6 --warmup=2 --duration=10
 * </pre>
 *
 * <p>{@code --servers=BARE,PAVE} runs a subset; {@code --pave-jvm-flags="-XX:StartFlightRecording=..."}
 * passes flags to the Pave servers only (to profile them).
 */
public final class AsDeployedBenchmark {

  private record Server(String name, Map<String, String> env, boolean pave) {}

  private record Result(double callsPerSecond, double p50Micros, double p99Micros, long errors) {}

  /** A started server: its process, the pipe's reader, and its ports. */
  private record Running(
      Server server, Process process, Process reader, int grpcPort, int adminPort, Path log,
      ManagedChannel channel) {}

  private static final Path OUT = Path.of("benchmarks", "target", "as-deployed");

  /** Extra JVM flags for the Pave servers only ({@code --pave-jvm-flags}), e.g. to profile. */
  private static List<String> paveJvmFlags = List.of();

  public static void main(String[] args) throws Exception {
    Map<String, String> options = LoadRun.options(args, "outstanding, payload, rounds, warmup, duration, servers, pave-jvm-flags");
    int[] outstandings = ints(options.getOrDefault("outstanding", "16,64"));
    int[] payloads = ints(options.getOrDefault("payload", "64,16384"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "6"));
    Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "2")));
    Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "10")));
    String flags = options.getOrDefault("pave-jvm-flags", "").trim();
    paveJvmFlags = flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
    List<String> only = List.of(options.getOrDefault("servers", "").split(","));
    if (rounds < 2) {
      throw new IllegalArgumentException("--rounds must be at least 2 (round 1 is discarded)");
    }
    List<Server> servers =
        List.of(
            new Server("BARE", Map.of(), false),
            new Server("PAVE", Map.of(), true),
            new Server("PAVE_ACCESS_LOG_OFF", Map.of("GRPC_SERVER_ACCESS_LOG_LEVEL", "OFF"), true),
            new Server(
                "PAVE_SAMPLED_10",
                Map.of(
                    "OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
                    "OTEL_TRACES_SAMPLER_ARG", "0.1"),
                true));
    if (!only.get(0).isEmpty()) {
      servers = servers.stream().filter(s -> only.contains(s.name())).toList();
    }
    if (!servers.get(0).name().equals("BARE")) {
      throw new IllegalArgumentException("--servers must include BARE, the peer");
    }
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "gRPC as deployed: unary echo on 127.0.0.1, servers in their own JVMs (%s), stdout through"
            + " a pipe to files in %s; %d rounds (round 1 discarded), %ds warm-up + %ds measured"
            + " per load period; load average at start: %s%n",
        Runtime.version(), OUT, rounds, warmup.toSeconds(), duration.toSeconds(), LoadRun.loadAverage());
    Files.createDirectories(OUT);
    List<Running> running = new ArrayList<>();
    try {
      for (Server server : servers) {
        running.add(start(server));
      }
      for (int outstanding : outstandings) {
        for (int payload : payloads) {
          cell(out, running, outstanding, payload, rounds, warmup, duration);
        }
      }
      out.printf(Locale.ROOT, "load average at end: %s%n", LoadRun.loadAverage());
    } finally {
      for (Running r : running) {
        stop(r);
      }
    }
    for (Running r : running) {
      long bytes = Files.size(r.log());
      long lines;
      try (var stream = Files.lines(r.log())) {
        lines = stream.count();
      }
      out.printf(
          Locale.ROOT, "%-20s stdout: %,d lines, %,d bytes (%s)%n",
          r.server().name(), lines, bytes, r.log());
    }
    System.exit(0);
  }

  private static void cell(
      PrintStream out, List<Running> running, int outstanding, int payload, int rounds,
      Duration warmup, Duration duration) throws InterruptedException {
    out.printf(Locale.ROOT, "%n## %d outstanding calls, %d-byte message%n", outstanding, payload);
    SimpleRequest request =
        SimpleRequest.newBuilder().setRequestMessage("x".repeat(payload)).build();
    Map<String, List<Result>> results = new LinkedHashMap<>();
    for (Running r : running) {
      results.put(r.server().name(), new ArrayList<>());
    }
    long[] samples = new long[1 << 22];
    for (int round = 1; round <= rounds; round++) {
      for (int k = 0; k < running.size(); k++) {
        Running r = running.get((k + round - 1) % running.size());
        Result result = load(r.channel(), request, outstanding, warmup, duration, samples);
        out.printf(
            Locale.ROOT,
            "round %d%s %-20s %9.0f calls/s  p50 %8.1f us  p99 %8.1f us  errors %d%n",
            round, round == 1 ? " (warm-up)" : "", r.server().name(), result.callsPerSecond(),
            result.p50Micros(), result.p99Micros(), result.errors());
        if (round > 1) {
          results.get(r.server().name()).add(result);
        }
      }
    }
    List<Result> bare = results.get("BARE");
    out.println();
    out.println(
        "| server | calls/s | p50 (us) | p99 (us) | throughput / BARE | p50 / BARE | p99 / BARE"
            + " | throughput ratio per round | errors |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, List<Result>> e : results.entrySet()) {
      List<Result> rs = e.getValue();
      double[] rps = new double[rs.size()];
      double[] p50 = new double[rs.size()];
      double[] p99 = new double[rs.size()];
      StringBuilder perRound = new StringBuilder();
      for (int i = 0; i < rs.size(); i++) {
        rps[i] = rs.get(i).callsPerSecond() / bare.get(i).callsPerSecond();
        p50[i] = rs.get(i).p50Micros() / bare.get(i).p50Micros();
        p99[i] = rs.get(i).p99Micros() / bare.get(i).p99Micros();
        perRound.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", rps[i]));
      }
      out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.1f | %.1f | %.2fx | %.2fx | %.2fx | %s | %d |%n",
          e.getKey(),
          LoadRun.median(rs.stream().mapToDouble(Result::callsPerSecond).toArray()),
          LoadRun.median(rs.stream().mapToDouble(Result::p50Micros).toArray()),
          LoadRun.median(rs.stream().mapToDouble(Result::p99Micros).toArray()),
          LoadRun.median(rps), LoadRun.median(p50), LoadRun.median(p99), perRound,
          rs.stream().mapToLong(Result::errors).sum());
    }
  }

  /**
   * Keeps {@code outstanding} calls in flight until the period ends; records each call's latency
   * after the warm-up. Callbacks run on the channel's event loop (direct executor), so the load
   * generator adds no thread hand-off of its own.
   */
  private static Result load(
      ManagedChannel channel, SimpleRequest request, int outstanding, Duration warmup,
      Duration duration, long[] samples) throws InterruptedException {
    long measureFrom = System.nanoTime() + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    AtomicInteger recorded = new AtomicInteger();
    LongAdder errors = new LongAdder();
    CountDownLatch done = new CountDownLatch(outstanding);
    class Caller implements StreamObserver<SimpleResponse> {
      long started;

      void next() {
        started = System.nanoTime();
        if (started >= end) {
          done.countDown();
          return;
        }
        // From the root context: the next call starts inside the previous call's callback, and
        // starting it there would chain every call's context onto the one before.
        Context.ROOT.run(
            () ->
                ClientCalls.asyncUnaryCall(
                    channel.newCall(
                        SimpleServiceGrpc.getUnaryRpcMethod(),
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)),
                    request,
                    this));
      }

      @Override
      public void onNext(SimpleResponse value) {}

      @Override
      public void onError(Throwable t) {
        errors.increment();
        next();
      }

      @Override
      public void onCompleted() {
        if (started >= measureFrom) {
          int i = recorded.getAndIncrement();
          if (i < samples.length) {
            samples[i] = System.nanoTime() - started;
          }
        }
        next();
      }
    }
    for (int i = 0; i < outstanding; i++) {
      new Caller().next();
    }
    if (!done.await(duration.plus(warmup).toSeconds() + 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("calls still in flight 30 s after the load period ended");
    }
    int n = Math.min(recorded.get(), samples.length);
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    return new Result(
        recorded.get() / (duration.toNanos() / 1e9),
        n == 0 ? 0 : sorted[(int) (n * 0.50)] / 1_000.0,
        n == 0 ? 0 : sorted[(int) (n * 0.99)] / 1_000.0,
        errors.sum());
  }

  private static Running start(Server server) throws Exception {
    int grpcPort = LoadRun.freePort();
    int adminPort = LoadRun.freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    String main = server.pave() ? PaveEchoService.class.getName() : BareEchoServer.class.getName();
    List<String> command = new ArrayList<>(List.of(java));
    if (server.pave()) {
      command.addAll(paveJvmFlags);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
    ProcessBuilder jvm =
        new ProcessBuilder(command)
            .redirectError(OUT.resolve(server.name() + ".stderr").toFile());
    jvm.environment().put("GRPC_PORT", Integer.toString(grpcPort));
    jvm.environment().put("ADMIN_PORT", Integer.toString(adminPort));
    jvm.environment().put("GRPC_SERVER_HOST", "127.0.0.1");
    jvm.environment().put("ADMIN_HOST", "127.0.0.1");
    jvm.environment().putAll(server.env());
    Path log = OUT.resolve(server.name() + ".stdout");
    // The container runtime's side of the pipe: a separate process that reads and stores.
    ProcessBuilder reader = new ProcessBuilder("cat").redirectOutput(log.toFile());
    List<Process> pipeline = ProcessBuilder.startPipeline(List.of(jvm, reader));
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcPort)
            .usePlaintext()
            .directExecutor()
            .build();
    Running running =
        new Running(server, pipeline.get(0), pipeline.get(1), grpcPort, adminPort, log, channel);
    awaitServing(running);
    return running;
  }

  /** Polls until the server answers a call (and, for Pave, {@code /readyz} is 200). */
  private static void awaitServing(Running r) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpClient http = HttpClient.newHttpClient();
    SimpleRequest ping = SimpleRequest.newBuilder().setRequestMessage("ready?").build();
    while (true) {
      if (!r.process().isAlive()) {
        throw new IllegalStateException(
            r.server().name() + " exited with " + r.process().exitValue() + " before serving; see "
                + OUT.resolve(r.server().name() + ".stderr") + " and " + r.log());
      }
      try {
        if (r.server().pave()) {
          HttpResponse<Void> ready =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + r.adminPort() + "/readyz"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (ready.statusCode() != 200) {
            throw new IOException("readyz " + ready.statusCode());
          }
        }
        SimpleServiceGrpc.newBlockingStub(r.channel())
            .withDeadlineAfter(2, TimeUnit.SECONDS)
            .unaryRpc(ping);
        return;
      } catch (IOException | RuntimeException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(r.server().name() + " not serving after 60 s", notYet);
        }
        Thread.sleep(100); // a poll interval, bounded by the deadline above
      }
    }
  }

  private static void stop(Running r) throws InterruptedException {
    r.channel().shutdownNow();
    r.process().destroy(); // SIGTERM: Pave drains and exits; the bare server just exits
    if (!r.process().waitFor(60, TimeUnit.SECONDS)) {
      r.process().destroyForcibly();
    }
    // The reader ends at end of file, once the server's side of the pipe is closed.
    if (!r.reader().waitFor(10, TimeUnit.SECONDS)) {
      r.reader().destroyForcibly();
    }
  }


  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }

  private AsDeployedBenchmark() {}
}
