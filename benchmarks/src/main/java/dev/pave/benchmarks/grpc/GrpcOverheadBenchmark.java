package dev.pave.benchmarks.grpc;

import dev.pave.benchmarks.LoadRun;
import dev.pave.grpc.GrpcChannels;
import dev.pave.grpc.GrpcClientSettings;
import dev.pave.grpc.GrpcServer;
import dev.pave.grpc.GrpcServerSettings;
import dev.pave.logging.PaveLogging;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load generator: unary echo over real sockets on 127.0.0.1, bare grpc-java server and client
 * against Pave's {@link GrpcServer} and {@link GrpcChannels}, in one JVM and one run, rounds
 * interleaved (in a rotating order) so that machine noise hits every mode alike.
 *
 * <ul>
 *   <li>{@code BARE}: {@code NettyServerBuilder} + {@code NettyChannelBuilder}, nothing else.
 *   <li>{@code PAVE_FULL}: every Pave interceptor; tracing sampled 100% into a batch processor and
 *       a no-op exporter; metrics into a Prometheus registry; access log at INFO through the
 *       logging module's async appender; client retry policy, breaker, default deadline.
 *   <li>{@code PAVE_LEAN}: the same with the access log off and parent-based 10% sampling.
 * </ul>
 *
 * <p>Closed loop: {@code --threads} callers each make one blocking call after another. Results go
 * to stderr (stdout carries the service's JSON logs: send it to /dev/null). Bounded: it stops by
 * itself after {@code rounds * 3 * (warmup + duration)}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.pave.benchmarks.grpc.GrpcOverheadBenchmark \
 *     --threads=16 --warmup=5 --duration=10 --rounds=3 > /dev/null
 * </pre>
 */
public final class GrpcOverheadBenchmark {

  enum Mode {
    BARE,
    PAVE_FULL,
    PAVE_LEAN,
    /** Diagnostic (--modes): Pave server, bare client. */
    PAVE_SERVER_ONLY,
    /** Diagnostic (--modes): bare server, Pave client (lean). */
    PAVE_CLIENT_ONLY,
    /** Diagnostic (--modes): lean, one attempt (no retry policy; gRPC transparent retry only). */
    PAVE_LEAN_NO_RETRY,
    /** Diagnostic (--modes): full (100% sampling) without the access log. */
    PAVE_FULL_NO_ACCESS_LOG
  }

  record Result(
      Mode mode,
      double callsPerSecond,
      double p50Micros,
      double p99Micros,
      long errors,
      long droppedLogEvents) {}

  /** Discards spans: the cost measured is Pave's, not an exporter's. */
  private static final class NoopExporter implements SpanExporter {
    final LongAdder exported = new LongAdder();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      exported.add(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  private interface Stack extends AutoCloseable {
    Channel channel();

    @Override
    void close() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = LoadRun.options(args, "threads, warmup, duration, rounds, payload, modes");
    int threads = Integer.parseInt(options.getOrDefault("threads", "16"));
    Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "5")));
    Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "10")));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    int payload = Integer.parseInt(options.getOrDefault("payload", "64"));
    List<Mode> modes =
        Arrays.stream(options.getOrDefault("modes", "BARE,PAVE_FULL,PAVE_LEAN").split(","))
            .map(String::trim)
            .map(Mode::valueOf)
            .toList();
    PrintStream out = System.err;
    out.printf(
        Locale.ROOT,
        "gRPC overhead: unary echo on 127.0.0.1, %d caller threads, %d-byte message, warmup %ss,"
            + " measure %ss, %d rounds%n",
        threads, payload, warmup.toSeconds(), duration.toSeconds(), rounds);

    Map<Mode, List<Result>> results = new EnumMap<>(Mode.class);
    for (int round = 1; round <= rounds; round++) {
      // Rotate the order every round, so no mode always runs first (after another mode's JIT
      // profile, or at the same point of a periodic background load).
      for (int k = 0; k < modes.size(); k++) {
        Mode mode = modes.get((k + round - 1) % modes.size());
        Result r = run(mode, threads, warmup, duration, payload);
        results.computeIfAbsent(mode, m -> new ArrayList<>(Collections.nCopies(rounds, (Result) null)))
            .set(round - 1, r);
        out.printf(
            Locale.ROOT,
            "round %d %-9s %10.0f calls/s  p50 %7.1f us  p99 %7.1f us  errors %d"
                + "  log events dropped by the async queue %d%n",
            round, mode, r.callsPerSecond(), r.p50Micros(), r.p99Micros(), r.errors(),
            r.droppedLogEvents());
      }
    }
    Mode peer = modes.contains(Mode.BARE) ? Mode.BARE : modes.get(0);
    out.println();
    out.println(
        "| mode | calls/s | p50 (us) | p99 (us) | throughput / " + peer + " | p50 / " + peer
            + " | p99 / " + peer + " |");
    out.println("|---|---|---|---|---|---|---|");
    for (Mode mode : modes) {
      Result m = medianResult(results.get(mode));
      // Ratios are taken per round (modes of a round ran back to back, under the same machine
      // load), then the median over rounds.
      double[] rps = new double[rounds];
      double[] p50 = new double[rounds];
      double[] p99 = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        Result r = results.get(mode).get(i);
        Result b = results.get(peer).get(i);
        rps[i] = r.callsPerSecond() / b.callsPerSecond();
        p50[i] = r.p50Micros() / b.p50Micros();
        p99[i] = r.p99Micros() / b.p99Micros();
      }
      out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.1f | %.1f | %.2fx | %.2fx | %.2fx |%n",
          mode, m.callsPerSecond(), m.p50Micros(), m.p99Micros(),
          LoadRun.median(rps), LoadRun.median(p50), LoadRun.median(p99));
    }
    out.println(
        "(absolute columns: median over rounds; ratio columns: median over rounds of the"
            + " per-round ratio)");
    System.exit(0);
  }

  private static Result medianResult(List<Result> rs) {
    double[] rps = rs.stream().mapToDouble(Result::callsPerSecond).sorted().toArray();
    double[] p50 = rs.stream().mapToDouble(Result::p50Micros).sorted().toArray();
    double[] p99 = rs.stream().mapToDouble(Result::p99Micros).sorted().toArray();
    long errors = rs.stream().mapToLong(Result::errors).sum();
    long dropped = rs.stream().mapToLong(Result::droppedLogEvents).sum();
    return new Result(
        rs.get(0).mode(),
        rps[rps.length / 2],
        p50[p50.length / 2],
        p99[p99.length / 2],
        errors,
        dropped);
  }

  private static Result run(Mode mode, int threads, Duration warmup, Duration duration, int payload)
      throws Exception {
    long droppedBefore = PaveLogging.droppedEvents();
    try (Stack stack = stack(mode)) {
      SimpleServiceGrpc.SimpleServiceBlockingStub stub =
          SimpleServiceGrpc.newBlockingStub(stack.channel());
      SimpleRequest request = SimpleRequest.newBuilder().setRequestMessage("x".repeat(payload)).build();
      long warmupEnd = System.nanoTime() + warmup.toNanos();
      long end = warmupEnd + duration.toNanos();
      long[][] samples = new long[threads][];
      int[] counts = new int[threads];
      LongAdder errors = new LongAdder();
      Thread[] workers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        int id = t;
        workers[t] =
            new Thread(
                () -> {
                  long[] mine = new long[1 << 16];
                  int n = 0;
                  while (true) {
                    long start = System.nanoTime();
                    if (start >= end) {
                      break;
                    }
                    try {
                      stub.unaryRpc(request);
                    } catch (RuntimeException e) {
                      errors.increment();
                      continue;
                    }
                    if (start >= warmupEnd) {
                      if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                      }
                      mine[n++] = System.nanoTime() - start;
                    }
                  }
                  samples[id] = mine;
                  counts[id] = n;
                },
                "load-" + t);
        workers[t].start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
      int total = Arrays.stream(counts).sum();
      long[] all = new long[total];
      int at = 0;
      for (int t = 0; t < threads; t++) {
        System.arraycopy(samples[t], 0, all, at, counts[t]);
        at += counts[t];
      }
      Arrays.sort(all);
      double seconds = duration.toNanos() / 1e9;
      return new Result(
          mode,
          total / seconds,
          all.length == 0 ? 0 : all[(int) (all.length * 0.50)] / 1_000.0,
          all.length == 0 ? 0 : all[(int) (all.length * 0.99)] / 1_000.0,
          errors.sum(),
          PaveLogging.droppedEvents() - droppedBefore);
    }
  }

  private static Stack stack(Mode mode) throws Exception {
    return switch (mode) {
      case BARE -> bare();
      case PAVE_FULL -> pave(true, true, true, true, 3);
      case PAVE_LEAN -> pave(false, false, true, true, 3);
      case PAVE_SERVER_ONLY -> pave(false, false, true, false, 3);
      case PAVE_CLIENT_ONLY -> pave(false, false, false, true, 3);
      case PAVE_LEAN_NO_RETRY -> pave(false, false, true, true, 1);
      case PAVE_FULL_NO_ACCESS_LOG -> pave(true, false, true, true, 3);
    };
  }

  private static Stack bare() throws Exception {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new EchoService())
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    return new Stack() {
      @Override
      public Channel channel() {
        return channel;
      }

      @Override
      public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    };
  }

  private static Stack pave(
      boolean sampleAll, boolean accessLog, boolean paveServer, boolean paveClient, int attempts)
      throws Exception {
    NoopExporter exporter = new NoopExporter();
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setSampler(
                        sampleAll
                            ? Sampler.parentBased(Sampler.alwaysOn())
                            : Sampler.parentBased(Sampler.traceIdRatioBased(0.10)))
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Server bareServer = null;
    GrpcServer server = null;
    int port;
    if (paveServer) {
      server =
          GrpcServer.builder()
              .settings(
                  GrpcServerSettings.builder()
                      .host("127.0.0.1")
                      .port(0)
                      .accessLogLevel(accessLog ? "INFO" : "OFF")
                      .build())
              .meterRegistry(registry)
              .openTelemetry(otel)
              .build()
              .addService(new EchoService());
      server.start();
      port = server.port();
    } else {
      bareServer =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(new EchoService())
              .build()
              .start();
      port = bareServer.getPort();
    }
    GrpcChannels channels =
        GrpcChannels.builder().meterRegistry(registry).openTelemetry(otel).build();
    ManagedChannel bareChannel = null;
    Channel channel;
    if (paveClient) {
      channel =
          channels.channel(
              GrpcClientSettings.builder("echo", "dns:///127.0.0.1:" + port)
                  .retryMaxAttempts(attempts)
                  .build());
    } else {
      bareChannel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      channel = bareChannel;
    }
    GrpcServer paveServerRef = server;
    Server bareServerRef = bareServer;
    ManagedChannel bareChannelRef = bareChannel;
    return new Stack() {
      @Override
      public Channel channel() {
        return channel;
      }

      @Override
      public void close() throws Exception {
        channels.close(Duration.ofSeconds(5));
        if (bareChannelRef != null) {
          bareChannelRef.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (paveServerRef != null) {
          paveServerRef.stop(Duration.ofSeconds(5));
        }
        if (bareServerRef != null) {
          bareServerRef.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        otel.close();
        registry.close();
      }
    };
  }

  private GrpcOverheadBenchmark() {}
}
