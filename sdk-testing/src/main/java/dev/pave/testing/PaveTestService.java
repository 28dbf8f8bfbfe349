package dev.pave.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pave.config.Config;
import dev.pave.core.LifecycleState;
import dev.pave.core.RunningService;
import dev.pave.core.ServiceContext;
import dev.pave.grpc.GrpcChannels;
import dev.pave.grpc.GrpcClientSettings;
import dev.pave.grpc.PaveGrpc;
import dev.pave.logging.LogCapture;
import io.grpc.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A service started by {@link PaveTest} for one test: its gRPC and admin endpoints, the spans it
 * exported, the log lines it wrote, its meters, and the production drain and stop path. Handed to
 * test methods as a parameter. Not thread-safe for {@link #drain()}/{@link #stop()}; everything
 * else may be called from any thread.
 */
public final class PaveTestService {

  /**
   * Configuration every {@code @PaveTest} service starts with, under the test's own {@link
   * PaveTest#properties()}: random loopback ports, short drain and stop timeouts, JSON logs, and
   * every span sampled into an in-memory exporter.
   */
  public static final Map<String, String> TEST_DEFAULTS = testDefaults();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> FIELDS = new TypeReference<>() {};
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SPAN_FLUSH_TIMEOUT = Duration.ofSeconds(5);

  private final RunningService running;
  private final InMemorySpanExporter spans;
  private final LogCapture logs;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
  private GrpcChannels channels;
  private Channel channel;

  PaveTestService(RunningService running, InMemorySpanExporter spans, LogCapture logs) {
    this.running = Objects.requireNonNull(running, "running");
    this.spans = Objects.requireNonNull(spans, "spans");
    this.logs = Objects.requireNonNull(logs, "logs");
  }

  private static Map<String, String> testDefaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("grpc.port", "0");
    defaults.put("grpc.server.host", "127.0.0.1"); // loopback only, as admin.host (adoption report 11)
    defaults.put("admin.host", "127.0.0.1");
    defaults.put("admin.port", "0");
    defaults.put("lifecycle.drain-delay", "100ms");
    defaults.put("lifecycle.shutdown-timeout", "5s");
    defaults.put("lifecycle.telemetry-flush-timeout", "2s");
    defaults.put("logging.format", "json");
    defaults.put("otel.traces.exporter", "pave-test");
    defaults.put("otel.traces.sampler", "always_on");
    return Map.copyOf(defaults);
  }

  /** The service's context: configuration, health, lifecycle, meters, OpenTelemetry. */
  public ServiceContext context() {
    return running.context();
  }

  /** The service name given to {@code Pave.service(name)}. */
  public String serviceName() {
    return context().serviceName();
  }

  /** The configuration the service runs with. */
  public Config config() {
    return context().config();
  }

  /** The service's meter registry, as scraped by {@code /metrics}. */
  public MeterRegistry meterRegistry() {
    return context().meterRegistry();
  }

  /** The current lifecycle state. */
  public LifecycleState state() {
    return running.state();
  }

  /**
   * The port of the service's gRPC server on 127.0.0.1.
   *
   * @throws IllegalStateException if the service has no gRPC server
   */
  public int grpcPort() {
    int port;
    try {
      port = PaveGrpc.from(context()).server().port();
    } catch (IllegalStateException e) {
      throw new IllegalStateException("service '" + serviceName() + "' has no gRPC server:"
          + " call PaveGrpc.from(svc).server() during its setup", e);
    }
    if (port <= 0) {
      throw new IllegalStateException("the gRPC server of '" + serviceName() + "' is not running");
    }
    return port;
  }

  /**
   * A channel to the service's gRPC server over 127.0.0.1, with Pave's client interceptors: calls
   * carry W3C trace context, and their client spans land in {@link #spans()} beside the server's.
   * Closed after the test.
   */
  public synchronized Channel grpcChannel() {
    if (channel == null) {
      channels = GrpcChannels.builder()
          .meterRegistry(new SimpleMeterRegistry())
          .openTelemetry(context().openTelemetry())
          .build();
      channel = channels.channel(GrpcClientSettings.builder("pave-test", "dns:///127.0.0.1:" + grpcPort())
          .breakerEnabled(false)
          .build());
    }
    return channel;
  }

  /** The base URI of the admin server, e.g. {@code http://127.0.0.1:41234}. */
  public URI adminUri() {
    InetSocketAddress address = running.adminAddress();
    return URI.create("http://127.0.0.1:" + address.getPort());
  }

  /**
   * {@code GET} on the admin server.
   *
   * @param pathAndQuery e.g. {@code /readyz?verbose}
   */
  public AdminResponse admin(String pathAndQuery) {
    return send(HttpRequest.newBuilder(adminUri().resolve(pathAndQuery)).GET());
  }

  /**
   * {@code POST} on the admin server with a JSON body.
   *
   * @param path e.g. {@code /loglevel}
   * @param jsonBody the request body
   */
  public AdminResponse adminPost(String path, String jsonBody) {
    return send(HttpRequest.newBuilder(adminUri().resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
  }

  private AdminResponse send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      return new AdminResponse(response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("admin request to " + adminUri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during an admin request", e);
    }
  }

  /** Every span the service ended so far (its own and the test channel's), oldest first. */
  public List<SpanData> spans() {
    if (context().openTelemetry() instanceof OpenTelemetrySdk sdk) {
      sdk.getSdkTracerProvider().forceFlush().join(SPAN_FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    List<SpanData> ended = new ArrayList<>(spans.getFinishedSpanItems());
    ended.sort(Comparator.comparingLong(SpanData::getEndEpochNanos));
    return List.copyOf(ended);
  }

  /** The spans of one trace as a tree. */
  public SpanTree trace(String traceId) {
    Objects.requireNonNull(traceId, "traceId");
    return new SpanTree(traceId, spans().stream().filter(s -> s.getTraceId().equals(traceId)).toList());
  }

  /**
   * The trace id of the server span that ended last: the trace of the latest RPC the service
   * answered. A server span ends just after its response is sent, so the client can hold the
   * response first: when no server span has ended yet, this waits up to 5 seconds for one.
   *
   * @throws AssertionError if the service has answered no RPC within that time
   */
  public String lastTraceId() {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (true) {
      List<SpanData> ended = spans();
      for (int i = ended.size() - 1; i >= 0; i--) {
        if (ended.get(i).getKind() == SpanKind.SERVER) {
          return ended.get(i).getTraceId();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("service '" + serviceName() + "' has ended no server span in 5 s");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll, bounded by the deadline
    }
  }

  /**
   * Every JSON log line written since the service started, parsed into its fields (the schema of
   * docs/logging.md: {@code message}, {@code log.level}, {@code trace_id}, ...), oldest first.
   * Lines of other code logging in the same JVM during the test are included.
   */
  public List<Map<String, Object>> logs() {
    List<Map<String, Object>> events = new ArrayList<>();
    for (String line : logs.lines()) {
      try {
        events.add(JSON.readValue(line, FIELDS));
      } catch (IOException e) {
        throw new AssertionError("a log line is not JSON (logging.format must be json): " + line, e);
      }
    }
    return events;
  }

  /**
   * What Kubernetes' {@code preStop} does: DRAINING at once (readiness fails, calls still served);
   * returns after {@code lifecycle.drain-delay}.
   */
  public void drain() {
    running.preStop();
  }

  /**
   * What SIGTERM does, without exiting the JVM: drains (unless {@link #drain()} already did),
   * stops the components in reverse order, flushes telemetry; returns when STOPPED. Harmless when
   * repeated; the kit calls it after every test.
   */
  public void stop() {
    running.stop();
  }

  /** Stops the service and releases what the kit opened. */
  void close() throws InterruptedException {
    try {
      running.stop();
    } finally {
      logs.close();
      GrpcChannels open;
      synchronized (this) {
        open = channels;
      }
      if (open != null) {
        open.close(Duration.ofSeconds(5));
      }
    }
  }
}
