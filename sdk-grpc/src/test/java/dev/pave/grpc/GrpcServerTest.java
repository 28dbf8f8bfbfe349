package dev.pave.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.pave.grpc.test.EchoReply;
import dev.pave.grpc.test.EchoRequest;
import dev.pave.grpc.test.TestServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pave's server and client over real Netty sockets on 127.0.0.1. */
class GrpcServerTest {

  private final TestTelemetry telemetry = new TestTelemetry();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<GrpcServer> servers = new ArrayList<>();
  private final List<GrpcChannels> channelSets = new ArrayList<>();
  private CapturedLogs logs;

  @BeforeEach
  void captureLogs() {
    logs = CapturedLogs.capture();
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    for (GrpcServer server : servers) {
      server.stop(Duration.ofSeconds(2));
    }
    for (GrpcChannels channels : channelSets) {
      channels.close(Duration.ofSeconds(2));
    }
    logs.close();
    telemetry.close();
  }

  private GrpcServer server(
      UnaryOperator<GrpcServerSettings.Builder> settings, EchoService service) throws Exception {
    GrpcServer server =
        GrpcServer.builder()
            .settings(settings.apply(GrpcServerSettings.builder().host("127.0.0.1").port(0)).build())
            .meterRegistry(registry)
            .openTelemetry(telemetry.sdk)
            .build()
            .addService(service);
    server.start();
    servers.add(server);
    return server;
  }

  private Channel channel(String name, GrpcServer server) {
    return channel(name, server, UnaryOperator.identity());
  }

  private Channel channel(
      String name, GrpcServer server, UnaryOperator<GrpcClientSettings.Builder> settings) {
    GrpcChannels channels =
        GrpcChannels.builder().meterRegistry(registry).openTelemetry(telemetry.sdk).build();
    channelSets.add(channels);
    return channels.channel(
        settings.apply(GrpcClientSettings.builder(name, "dns:///127.0.0.1:" + server.port())).build());
  }

  private static EchoRequest echo(String message) {
    return EchoRequest.newBuilder().setMessage(message).build();
  }

  @Test
  void oneTraceIdFlowsFromClientThroughServerAToServerB_inSpansAndLogs() throws Exception {
    EchoService serviceB = new EchoService("B", null);
    GrpcServer b = server(s -> s, serviceB);
    Channel toB = channel("b", b);
    GrpcServer a = server(s -> s, new EchoService("A", toB));
    Channel toA = channel("a", a);

    EchoReply reply;
    try (var scope = Baggage.builder().put("tenant", "t-42").build().makeCurrent()) {
      reply =
          TestServiceGrpc.newBlockingStub(toA).echo(echo("hello").toBuilder().setHops(1).build());
    }
    // W3C baggage travelled client -> A -> B with the trace context.
    assertThat(serviceB.lastTenantBaggage).isEqualTo("t-42");

    assertThat(reply.getMessage()).isEqualTo("hello");
    String traceId = reply.getTraceId();
    assertThat(traceId).hasSize(32).isNotEqualTo("0".repeat(32));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> telemetry.spans.getFinishedSpanItems().size() >= 4);
    List<SpanData> spans = telemetry.spans.getFinishedSpanItems();
    // client -> A (server), A -> B (client), B (server): one trace.
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(traceId);
    assertThat(spans)
        .filteredOn(s -> s.getKind() == SpanKind.SERVER)
        .hasSize(2)
        .allSatisfy(
            s -> {
              assertThat(s.getName()).isEqualTo("pave.grpc.test.TestService/Echo");
              assertThat(s.getAttributes().get(AttributeKey.stringKey("rpc.system")))
                  .isEqualTo("grpc");
              assertThat(s.getAttributes().get(AttributeKey.stringKey("rpc.service")))
                  .isEqualTo("pave.grpc.test.TestService");
              assertThat(s.getAttributes().get(AttributeKey.stringKey("rpc.method")))
                  .isEqualTo("Echo");
              assertThat(s.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code")))
                  .isEqualTo(0L);
            });
    assertThat(spans).filteredOn(s -> s.getKind() == SpanKind.CLIENT).hasSize(2);
    // The handler's own log lines and the access log lines of both servers carry the trace id.
    assertThat(logs.from(EchoService.LOGGER))
        .extracting(CapturedLogs.Line::message)
        .containsExactlyInAnyOrder("A handling echo 'hello'", "B handling echo 'hello'");
    assertThat(logs.from(EchoService.LOGGER))
        .extracting(CapturedLogs.Line::traceId)
        .containsOnly(traceId);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> logs.from(GrpcServer.ACCESS_LOGGER).size() >= 2);
    assertThat(logs.from(GrpcServer.ACCESS_LOGGER))
        .hasSize(2)
        .allSatisfy(
            line -> {
              assertThat(line.traceId()).isEqualTo(traceId);
              assertThat(line.level()).isEqualTo("INFO");
              assertThat(line.fields())
                  .containsEntry("rpc.service", "pave.grpc.test.TestService")
                  .containsEntry("rpc.method", "Echo")
                  .containsEntry("rpc.grpc.status_code", "OK")
                  .containsKeys("duration_ms", "peer", "request_bytes", "response_bytes");
              assertThat((String) line.fields().get("peer")).startsWith("127.0.0.1:");
            });
  }

  @Test
  void metricsCarryTheDocumentedNamesAndTags() throws Exception {
    GrpcServer server = server(s -> s, new EchoService("A", null));
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));
    stub.echo(echo("one"));
    stub.echo(echo("two").toBuilder().setPayload(ByteString.copyFrom(new byte[100])).build());
    assertThatThrownBy(() -> stub.echo(echo("bad").toBuilder().setFail("illegal-argument").build()))
        .isInstanceOf(StatusRuntimeException.class);

    String service = "pave.grpc.test.TestService";
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Scrape.value(
                        registry.scrape(),
                        "rpc_server_call_duration_seconds_count",
                        "rpc_grpc_status_code=\"3\"")
                    == 1);
    String scrape = registry.scrape();
    String[] tags = {
      "rpc_system=\"grpc\"", "rpc_service=\"" + service + "\"", "rpc_method=\"Echo\""
    };
    assertThat(Scrape.value(scrape, "rpc_server_call_duration_seconds_count", Scrape.and(tags, "rpc_grpc_status_code=\"0\"")))
        .isEqualTo(2);
    assertThat(Scrape.value(scrape, "rpc_server_call_duration_seconds_bucket", Scrape.and(tags, "rpc_grpc_status_code=\"0\"", "le=\"0.005\"")))
        .isNotNegative();
    assertThat(Scrape.value(scrape, "rpc_server_calls_started_total", tags)).isEqualTo(3);
    assertThat(Scrape.value(scrape, "rpc_server_request_size_bytes_count", tags)).isEqualTo(3);
    assertThat(Scrape.value(scrape, "rpc_server_request_size_bytes_max", tags)).isGreaterThan(100);
    assertThat(Scrape.value(scrape, "rpc_server_response_size_bytes_count", tags)).isEqualTo(2);
    assertThat(Scrape.value(scrape, "rpc_client_calls_started_total", tags)).isEqualTo(3);
    assertThat(Scrape.value(scrape, "rpc_client_call_duration_seconds_count", Scrape.and(tags, "rpc_grpc_status_code=\"0\"")))
        .isEqualTo(2);
    assertThat(Scrape.value(scrape, "resilience4j_circuitbreaker_state", "name=\"a\"", "state=\"closed\""))
        .isEqualTo(1);
  }

  @Test
  void anUncaughtExceptionBecomesInternalWithoutLeaking_andIsLoggedOnceWithItsTraceId()
      throws Exception {
    GrpcServer server = server(s -> s, new EchoService("A", null));
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));

    StatusRuntimeException error =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () -> stub.echo(echo("x").toBuilder().setFail("runtime").build()));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    String description = error.getStatus().getDescription();
    assertThat(description).startsWith("internal error; trace_id=");
    assertThat(description).doesNotContain("hunter2", "IllegalStateException", "at dev.pave");
    assertThat(error.getStatus().getCause()).isNull();
    assertThat(error.getTrailers().keys()).noneMatch(k -> k.contains("stack") || k.contains("bin"));
    String traceId = description.substring("internal error; trace_id=".length());

    List<CapturedLogs.Line> errors =
        logs.lines.stream().filter(l -> l.level().equals("ERROR")).toList();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).logger()).isEqualTo(GrpcServer.ERROR_LOGGER);
    assertThat(errors.get(0).traceId()).isEqualTo(traceId);
    assertThat(errors.get(0).error()).isInstanceOf(IllegalStateException.class);

    // The same through responseObserver.onError(exception).
    StatusRuntimeException viaOnError =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () -> stub.echo(echo("x").toBuilder().setFail("on-error").build()));
    assertThat(viaOnError.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(viaOnError.getStatus().getDescription()).doesNotContain("onError");
  }

  @Test
  void anAccessLogEntryNamingNoServiceOrMethod_failsStartNamingTheKey() {
    // Adoption report 16: a typo in a service or method name was accepted and did nothing.
    assertThatThrownBy(() -> server(s -> s.accessLogMethodLevel("pave.grpc.test.TestService/Ech", "OFF"),
            new EchoService("A", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grpc.server.access-log.methods.pave.grpc.test.TestService/Ech names no service or method")
        .hasMessageContaining("pave.grpc.test.TestService/Echo");
  }

  @Test
  void aStatusDescriptionEchoingClientInput_isCutTo1024Characters() throws Exception {
    // Security report D14: a 100 KB field echoed by an IllegalArgumentException made a grpc-message
    // trailer over 64 KiB that a grpc-js client never read, and an access line as long.
    GrpcServer server = server(s -> s, new EchoService("A", null));
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));
    String huge = "x".repeat(100_000);

    assertThatThrownBy(() -> stub.echo(echo("x").toBuilder().setFail(huge).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription())
              .startsWith("unknown fail mode xxx")
              .endsWith("... (" + (("unknown fail mode " + huge).length() - 1024) + " characters cut)")
              .hasSizeLessThan(1100);
        });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(logs.from("dev.pave.grpc.access"))
            .anySatisfy(line -> assertThat(line.message()).contains("INVALID_ARGUMENT"))
            .allSatisfy(line -> assertThat(line.message() + line.fields()).hasSizeLessThan(4096)));
  }

  @Test
  void wellKnownExceptionsMapToTheirCodes_andTheMappingIsExtensible() throws Exception {
    GrpcServer server =
        GrpcServer.builder()
            .settings(GrpcServerSettings.builder().host("127.0.0.1").port(0).build())
            .meterRegistry(registry)
            .openTelemetry(telemetry.sdk)
            .build()
            .addService(new EchoService("A", null))
            .addExceptionMapper(
                GrpcExceptionMapper.forType(
                    IllegalArgumentException.class,
                    e ->
                        e.getMessage().startsWith("unknown fail mode")
                            ? Status.NOT_FOUND.withDescription("no such mode")
                            : Status.INVALID_ARGUMENT.withDescription(e.getMessage())));
    server.start();
    servers.add(server);
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));

    assertThatThrownBy(() -> stub.echo(echo("x").toBuilder().setFail("illegal-argument").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).isEqualTo("amount must be positive");
            });
    assertThatThrownBy(() -> stub.echo(echo("x").toBuilder().setFail("nonsense").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(() -> stub.echo(echo("x").toBuilder().setFail("unavailable").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).isEqualTo("try later");
            });
    assertThat(logs.lines).noneMatch(l -> l.level().equals("ERROR"));
  }

  @Test
  void aHandlerCallingASlowDownstreamGetsDeadlineExceededWithinTheCallersDeadline()
      throws Exception {
    EchoService b = new EchoService("B", null);
    GrpcServer serverB = server(s -> s, b);
    EchoService a = new EchoService("A", channel("b", serverB));
    GrpcServer serverA = server(s -> s, a);
    var stub = TestServiceGrpc.newBlockingStub(channel("a", serverA));

    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                stub.withDeadlineAfter(1_000, TimeUnit.MILLISECONDS)
                    .echo(echo("slow").toBuilder().setHops(1).setDelayMillis(5_000).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(elapsedMillis).isLessThan(3_000);
    // A's downstream call carried the caller's remaining deadline, not the client default (10s).
    assertThat(a.lastDownstreamDeadlineMillis).isBetween(1L, 1_000L);
  }

  @Test
  void withoutACallerDeadlineTheServerDefaultApplies_andPropagatesDownstream() throws Exception {
    EchoService b = new EchoService("B", null);
    GrpcServer serverB = server(s -> s, b);
    EchoService a = new EchoService("A", channel("b", serverB));
    GrpcServer serverA = server(s -> s.defaultDeadline(Duration.ofMillis(400)), a);
    // The client gives no deadline (its default is 10s, far beyond the server's 400ms).
    var stub = TestServiceGrpc.newBlockingStub(channel("a", serverA, c -> c.defaultDeadline(Duration.ofSeconds(10))));

    EchoReply direct = stub.echo(echo("quick"));
    // The handler saw the client's 10s deadline: the server default applies only without one.
    assertThat(direct.getDeadlineMillis()).isGreaterThan(5_000);

    GrpcServer serverC =
        server(s -> s.defaultDeadline(Duration.ofMillis(400)), new EchoService("C", channel("b2", serverB)));
    GrpcChannels raw = GrpcChannels.builder().meterRegistry(registry).openTelemetry(telemetry.sdk).build();
    channelSets.add(raw);
    // A bare grpc-java channel sends no deadline at all.
    io.grpc.ManagedChannel bare =
        io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", serverC.port())
            .usePlaintext()
            .build();
    try {
      EchoReply defaulted = TestServiceGrpc.newBlockingStub(bare).echo(echo("quick"));
      assertThat(defaulted.getDeadlineMillis()).isBetween(1L, 400L);
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  TestServiceGrpc.newBlockingStub(bare)
                      .echo(echo("slow").toBuilder().setHops(1).setDelayMillis(3_000).build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    } finally {
      bare.shutdownNow();
    }
  }

  @Test
  void healthAndReflectionAnswerOverARealSocket_andHealthFlipsOnDrain() throws Exception {
    GrpcServer server = server(s -> s, new EchoService("A", null));
    Channel channel = channel("a", server);
    var health = HealthGrpc.newBlockingStub(channel);

    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(
            health
                .check(HealthCheckRequest.newBuilder().setService("pave.grpc.test.TestService").build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);

    List<String> services = listServices(channel);
    assertThat(services)
        .contains(
            "pave.grpc.test.TestService",
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection");

    server.drain();
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.NOT_SERVING);
    // Draining keeps serving calls.
    assertThat(TestServiceGrpc.newBlockingStub(channel).echo(echo("still")).getMessage())
        .isEqualTo("still");
    // Health checks and reflection are not in the access log by default.
    assertThat(accessLines(l -> true, 1))
        .hasSize(1)
        .allSatisfy(l -> assertThat(l.fields()).containsEntry("rpc.service", "pave.grpc.test.TestService"));
  }

  @Test
  void theAccessLogLevelIsChosenPerMethod_andFailuresAreLoggedWithTheirStatus() throws Exception {
    GrpcServer server =
        server(
            s ->
                s.accessLogMethodLevel("pave.grpc.test.TestService/Echo", "DEBUG")
                    .accessLogMethodLevel("grpc.health.v1.Health", "INFO"),
            new EchoService("A", null));
    Channel channel = channel("a", server);
    // Echo logs at DEBUG, below the logger's INFO: no line.
    TestServiceGrpc.newBlockingStub(channel).echo(echo("quiet"));
    // Health was opted in.
    HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());

    assertThat(accessLines(l -> true, 1))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.fields())
                  .containsEntry("rpc.service", "grpc.health.v1.Health")
                  .containsEntry("rpc.method", "Check");
              assertThat(l.message()).startsWith("gRPC grpc.health.v1.Health/Check OK in ");
            });

    GrpcServer defaults = server(s -> s, new EchoService("B", null));
    assertThatThrownBy(
            () ->
                TestServiceGrpc.newBlockingStub(channel("b", defaults))
                    .echo(echo("x").toBuilder().setFail("illegal-argument").build()))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(accessLines(l -> "pave.grpc.test.TestService".equals(l.fields().get("rpc.service")), 1))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.fields())
                    .containsEntry("rpc.grpc.status_code", "INVALID_ARGUMENT")
                    .containsEntry("grpc_status_description", "amount must be positive"));
  }

  /**
   * The access-log lines matching {@code filter}, once there are at least {@code atLeast}: a line
   * is written after the response has gone out, so the caller may see the response first.
   */
  private List<CapturedLogs.Line> accessLines(java.util.function.Predicate<CapturedLogs.Line> filter, int atLeast) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> logs.from(GrpcServer.ACCESS_LOGGER).stream().filter(filter).count() >= atLeast);
    return logs.from(GrpcServer.ACCESS_LOGGER).stream().filter(filter).toList();
  }

  private static List<String> listServices(Channel channel) throws Exception {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    result.complete(
                        response.getListServicesResponse().getServiceList().stream()
                            .map(s -> s.getName())
                            .toList());
                  }

                  @Override
                  public void onError(Throwable t) {
                    result.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return result.get(5, TimeUnit.SECONDS);
  }

  @Test
  void anOversizedMessageIsRejectedWithResourceExhausted() throws Exception {
    GrpcServer server = server(s -> s.maxInboundMessageSize(1024), new EchoService("A", null));
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));

    assertThatThrownBy(
            () ->
                stub.echo(
                    echo("big").toBuilder().setPayload(ByteString.copyFrom(new byte[4096])).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(stub.echo(echo("small")).getMessage()).isEqualTo("small");
    // The transport refused the message before the server could close the call: the access log
    // and the metrics still record what the client saw, not CANCELLED (security report D13).
    accessLines(line -> line.message().contains("TestService/Echo RESOURCE_EXHAUSTED") && line.level().equals("INFO"), 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> Scrape.value(registry.scrape(),
        "rpc_server_call_duration_seconds_count", "rpc_method=\"Echo\"", "rpc_grpc_status_code=\"8\"") == 1);
    assertThat(logs.from(GrpcServer.ACCESS_LOGGER)).noneMatch(line -> line.message().contains("CANCELLED"));
  }

  @Test
  void anUnparseableRequestOrAGzipBomb_isAnsweredWithItsStatus_andRecordedLikeAnyCall() throws Exception {
    // Security report D13: invalid protobuf and gzip bombs got UNKNOWN "Application error
    // processing RPC", an ERROR with a stack trace each, and no access line or duration metric.
    GrpcServer server = server(s -> s, new EchoService("A", null));
    Channel channel = channel("a", server);
    MethodDescriptor<byte[], byte[]> echoBytes = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("pave.grpc.test.TestService/Echo")
        .setRequestMarshaller(new Bytes())
        .setResponseMarshaller(new Bytes())
        .build();
    byte[] notProtobuf = new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, echoBytes, CallOptions.DEFAULT, notProtobuf))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("the request message could not be parsed");
        });
    // 5 MB of a valid field that compresses to a few KB: past the 4 MiB limit once inflated.
    byte[] bomb = echo("bomb").toBuilder().setPayload(ByteString.copyFrom(new byte[5 * 1024 * 1024])).build()
        .toByteArray();
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
            channel, echoBytes, CallOptions.DEFAULT.withCompression("gzip"), bomb))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    // The service still answers, each bad call has its access line and duration, and no ERROR.
    assertThat(TestServiceGrpc.newBlockingStub(channel).echo(echo("fine")).getMessage()).isEqualTo("fine");
    accessLines(line -> line.message().contains("INVALID_ARGUMENT"), 1);
    accessLines(line -> line.message().contains("RESOURCE_EXHAUSTED"), 1);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      String scrape = registry.scrape();
      assertThat(Scrape.value(scrape, "rpc_server_call_duration_seconds_count", "rpc_method=\"Echo\"",
          "rpc_grpc_status_code=\"3\"")).isEqualTo(1);
      assertThat(Scrape.value(scrape, "rpc_server_call_duration_seconds_count", "rpc_method=\"Echo\"",
          "rpc_grpc_status_code=\"8\"")).isEqualTo(1);
    });
    assertThat(logs.lines).noneMatch(line -> line.level().equals("ERROR"));
  }

  @Test
  void anUnknownMethodIsUnimplemented() throws Exception {
    GrpcServer server = server(s -> s, new EchoService("A", null));
    Channel channel = channel("a", server);
    MethodDescriptor<byte[], byte[]> unknown =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("pave.grpc.test.TestService/NoSuchMethod")
            .setRequestMarshaller(new Bytes())
            .setResponseMarshaller(new Bytes())
            .build();

    assertThatThrownBy(
            () -> ClientCalls.blockingUnaryCall(channel, unknown, CallOptions.DEFAULT, new byte[0]))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Test
  void atRootTrace_noFramePayloadOrHeaderReachesTheLog() throws Exception {
    // Security report D6: ROOT=TRACE (or NettyServerHandler=DEBUG) made grpc-netty log every
    // frame, bodies as hex ("INBOUND DATA ... bytes=3431313120...") and headers in clear.
    GrpcServer server = server(s -> s, new EchoService("A", null));
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));
    String pan = "4111 1111 1111 1111";
    dev.pave.logging.PaveLogging.setLevel("ROOT", "TRACE");
    try {
      assertThat(stub.echo(echo("card " + pan)).getMessage()).isEqualTo("card " + pan);
    } finally {
      dev.pave.logging.PaveLogging.setLevel("ROOT", null);
    }
    String panHex = "34313131203131313120"; // "4111 1111 " as the frame logger writes it
    assertThat(logs.lines)
        .as("TRACE was really on: some library logged below INFO")
        .anyMatch(line -> line.level().equals("DEBUG") || line.level().equals("TRACE"));
    // (The handler's own INFO line carries the PAN too: this capture is taken before redaction,
    // which masks it on output. Frames are what redaction could never recognise.)
    assertThat(logs.lines).noneMatch(line -> String.valueOf(line.message()).contains(panHex)
        || String.valueOf(line.message()).contains("INBOUND DATA")
        || String.valueOf(line.message()).contains("OUTBOUND DATA")
        || String.valueOf(line.message()).contains("INBOUND HEADERS"));
  }

  @Test
  void keepaliveEnforcement_aClientPingingTooOftenIsToldTooManyPingsAndDisconnected() throws Exception {
    // Pings are permitted every 10 minutes, with or without calls: a client pinging in a tight
    // loop exceeds grpc-java's strike limit (2) and gets GOAWAY ENHANCE_YOUR_CALM "too_many_pings".
    GrpcServer server =
        server(
            s -> s.permitKeepAliveTime(Duration.ofMinutes(10)).permitKeepAliveWithoutCalls(true),
            new EchoService("A", null));
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));
    assertThat(stub.echo(echo("before")).getMessage()).isEqualTo("before");

    try (Socket socket = pingFlood(server.port(), 10)) {
      var in = new DataInputStream(socket.getInputStream());
      int pingAcks = 0;
      Frame frame = readFrame(socket, in);
      while (frame.type() != GOAWAY) {
        pingAcks += frame.isPingAck() ? 1 : 0;
        frame = readFrame(socket, in);
      }
      var goAway = ByteBuffer.wrap(frame.payload());
      goAway.getInt(); // last stream id
      assertThat(goAway.getInt()).as("GOAWAY error code ENHANCE_YOUR_CALM").isEqualTo(0xb);
      assertThat(new String(frame.payload(), 8, frame.payload().length - 8, StandardCharsets.US_ASCII))
          .isEqualTo("too_many_pings");
      // Pings up to the strike limit were answered, the rest were not.
      assertThat(pingAcks).isBetween(1, 9);
      // ...and the server closes the connection (with a reset, as unread pings were pending).
      try {
        while (in.read() >= 0) {
          // drain until EOF
        }
      } catch (java.net.SocketException reset) {
        // closed
      }
    }
    // Other connections are unaffected.
    assertThat(stub.echo(echo("after")).getMessage()).isEqualTo("after");

    // The setting is what decides: a server permitting any ping rate answers all ten.
    GrpcServer tolerant =
        server(s -> s.permitKeepAliveTime(Duration.ZERO).permitKeepAliveWithoutCalls(true), new EchoService("B", null));
    try (Socket socket = pingFlood(tolerant.port(), 10)) {
      var in = new DataInputStream(socket.getInputStream());
      int pingAcks = 0;
      while (pingAcks < 10) {
        Frame frame = readFrame(socket, in);
        assertThat(frame.type()).as("no GOAWAY").isNotEqualTo(GOAWAY);
        pingAcks += frame.isPingAck() ? 1 : 0;
      }
    }
  }

  @Test
  void oneConnectionMayHoldAtMostMaxConcurrentStreams_theRestAreRefused() throws Exception {
    // Security report D1: grpc-java advertises no limit, and one connection held 100,000
    // HEADERS-only streams until the heap ran out.
    assertThat(GrpcServerSettings.defaults().maxConcurrentStreams()).isEqualTo(256);
    GrpcServer server = server(s -> s.maxConcurrentStreams(5), new EchoService("A", null));

    try (Socket socket = headersOnlyStreams(server.port(), 8)) {
      var in = new DataInputStream(socket.getInputStream());
      StreamFrame settings = readStreamFrame(socket, in);
      assertThat(settings.type()).isEqualTo(SETTINGS);
      assertThat(setting(settings.payload(), 0x3)).as("SETTINGS_MAX_CONCURRENT_STREAMS").isEqualTo(5);
      // Streams 1..9 (odd) fit; 11, 13, 15 are refused at once with REFUSED_STREAM.
      var refused = new java.util.TreeSet<Integer>();
      while (refused.size() < 3) {
        StreamFrame frame = readStreamFrame(socket, in);
        if (frame.type() == RST_STREAM) {
          assertThat(ByteBuffer.wrap(frame.payload()).getInt()).as("RST_STREAM error code").isEqualTo(0x7);
          refused.add(frame.streamId());
        }
      }
      assertThat(refused).containsExactly(11, 13, 15);
    }
  }

  @Test
  void aStreamThatNeverSendsItsMessage_isClosedAtTheDefaultDeadline() throws Exception {
    // Security report D1: a stream with headers and no body outlived the 30 s default deadline
    // until the client disconnected.
    GrpcServer server = server(s -> s.defaultDeadline(Duration.ofMillis(300)), new EchoService("A", null));

    try (Socket socket = headersOnlyStreams(server.port(), 1)) {
      var in = new DataInputStream(socket.getInputStream());
      StreamFrame frame;
      do {
        // Each read is bounded by the socket's 5 s timeout: a stream left open fails the test.
        frame = readStreamFrame(socket, in);
      } while (frame.streamId() != 1 || !(frame.type() == RST_STREAM || frame.type() == HEADERS && (frame.flags() & 0x1) != 0));
    }
    // The access log and metrics record the server's answer, with its reason.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(logs.from("dev.pave.grpc.access"))
            .anySatisfy(line -> assertThat(line.message()).contains("TestService/Echo DEADLINE_EXCEEDED")));
  }

  @Test
  void streamsTheClientResets_areCountedButNotAnInfoAccessLineEach() throws Exception {
    // Security report D9: within the reset limit, each reset stream was still an INFO access line.
    GrpcServer server = server(s -> s, new EchoService("A", null));
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));
    try (Socket socket = headersOnlyStreams(server.port(), 5, true)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> Scrape.value(registry.scrape(),
          "rpc_server_call_duration_seconds_count", "rpc_method=\"Echo\"", "rpc_grpc_status_code=\"1\"") == 5);
    }
    assertThat(stub.echo(echo("after")).getMessage()).isEqualTo("after");
    accessLines(line -> line.message().contains("TestService/Echo OK"), 1);
    assertThat(logs.from(GrpcServer.ACCESS_LOGGER))
        .noneMatch(line -> line.message().contains("CANCELLED") && !line.level().equals("DEBUG"));
  }

  @Test
  void aTruncatedMessage_isRecordedWithTheStatusTheClientGets_notAsCancelled() throws Exception {
    // Security report D13: a truncated frame got INTERNAL at the client while the access line said
    // CANCELLED "cancelled by the client or its deadline".
    GrpcServer server = server(s -> s, new EchoService("A", null));
    try (Socket socket = headersOnlyStreams(server.port(), 1)) {
      // A message announced as 100 bytes, 3 sent, then END_STREAM.
      writeFrame(socket.getOutputStream(), 0x0 /* DATA */, 0x1 /* END_STREAM */, 1, new byte[] {0, 0, 0, 0, 100, 1, 2, 3});
      socket.getOutputStream().flush();
      var in = new DataInputStream(socket.getInputStream());
      StreamFrame frame;
      do {
        frame = readStreamFrame(socket, in); // bounded by the socket's 5 s read timeout
      } while (frame.streamId() != 1 || !(frame.type() == RST_STREAM || frame.type() == HEADERS && (frame.flags() & 0x1) != 0));
    }
    accessLines(line -> line.message().contains("TestService/Echo INTERNAL"), 1);
    assertThat(logs.from(GrpcServer.ACCESS_LOGGER)).noneMatch(line -> line.message().contains("CANCELLED"));
  }

  @Test
  void aMalformedGrpcTimeout_isRefusedWithoutAWarningOrStackTracePerRequest() throws Exception {
    // Security report D10: each request with grpc-timeout "abc" wrote 2 WARN lines with stack
    // traces (about 5.4 KB each): anyone could fill the log at WARN.
    GrpcServer server = server(s -> s, new EchoService("A", null));
    long before = dev.pave.logging.PaveLogging.peerStreamErrors();
    for (String timeout : new String[] {"abc", "100000000H", ""}) {
      try (Socket socket = headersOnlyStreams(server.port(), 1, false, "grpc-timeout", timeout)) {
        var in = new DataInputStream(socket.getInputStream());
        StreamFrame frame;
        do {
          frame = readStreamFrame(socket, in); // bounded by the socket's 5 s read timeout
        } while (frame.streamId() != 1 || !(frame.type() == RST_STREAM || frame.type() == HEADERS && (frame.flags() & 0x1) != 0));
      }
    }
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));
    assertThat(stub.echo(echo("after")).getMessage()).isEqualTo("after");
    assertThat(logs.lines)
        .as("%s", logs.lines)
        .noneMatch(line -> line.level().equals("WARN") || line.level().equals("ERROR"));
    assertThat(dev.pave.logging.PaveLogging.peerStreamErrors()).isGreaterThanOrEqualTo(before + 3);
  }

  @Test
  void aConnectionResettingStreamsFasterThanTheLimit_getsGoawayAndIsClosed() throws Exception {
    // Security report D9 (HTTP/2 rapid reset, CVE-2023-44487): 1.2 M HEADERS + RST_STREAM pairs on
    // one connection, no GOAWAY, each a server call and an access-log line.
    GrpcServer server = server(s -> s.rapidResetMaxResets(10).rapidResetWindow(Duration.ofSeconds(10)),
        new EchoService("A", null));
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));

    try (Socket socket = headersOnlyStreams(server.port(), 50, true)) {
      var in = new DataInputStream(socket.getInputStream());
      StreamFrame frame;
      do {
        frame = readStreamFrame(socket, in); // bounded by the socket's 5 s read timeout
      } while (frame.type() != GOAWAY);
      assertThat(ByteBuffer.wrap(frame.payload(), 4, 4).getInt()).as("GOAWAY error code ENHANCE_YOUR_CALM").isEqualTo(0xb);
    }
    // Other connections are unaffected.
    assertThat(stub.echo(echo("after")).getMessage()).isEqualTo("after");
  }

  private static final int HEADERS = 0x1;
  private static final int RST_STREAM = 0x3;

  /** A frame with its stream id. */
  private record StreamFrame(int type, int flags, int streamId, byte[] payload) {}

  private static StreamFrame readStreamFrame(Socket socket, DataInputStream in) throws IOException {
    int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int streamId = in.readInt() & 0x7fffffff;
    StreamFrame frame = new StreamFrame(type, flags, streamId, in.readNBytes(length));
    if (type == SETTINGS && (flags & 0x1) == 0) {
      writeFrame(socket.getOutputStream(), SETTINGS, 0x1, new byte[0]);
      socket.getOutputStream().flush();
    }
    return frame;
  }

  /** The value of setting {@code id} in a SETTINGS payload, or -1. */
  private static long setting(byte[] payload, int id) {
    ByteBuffer settings = ByteBuffer.wrap(payload);
    while (settings.remaining() >= 6) {
      int key = settings.getShort() & 0xffff;
      long value = settings.getInt() & 0xffffffffL;
      if (key == id) {
        return value;
      }
    }
    return -1;
  }

  /**
   * A raw HTTP/2 client that opens {@code streams} calls to Echo with HEADERS only (no message,
   * no END_STREAM), as the security report's probe did: header names and values as HPACK
   * literals without indexing.
   */
  private static Socket headersOnlyStreams(int port, int streams) throws IOException {
    return headersOnlyStreams(port, streams, false);
  }

  /**
   * As above; with {@code reset}, each HEADERS frame is followed by RST_STREAM CANCEL; {@code
   * extra} adds header fields (name, value, name, value...).
   */
  private static Socket headersOnlyStreams(int port, int streams, boolean reset, String... extra) throws IOException {
    var block = new java.io.ByteArrayOutputStream();
    List<String[]> fields = new ArrayList<>(List.of(new String[][] {{":method", "POST"}, {":scheme", "http"},
        {":path", "/pave.grpc.test.TestService/Echo"}, {":authority", "x"},
        {"content-type", "application/grpc"}, {"te", "trailers"}}));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      fields.add(new String[] {extra[i], extra[i + 1]});
    }
    for (String[] field : fields) {
      block.write(0x00);
      for (String part : field) {
        byte[] bytes = part.getBytes(StandardCharsets.US_ASCII);
        block.write(bytes.length);
        block.write(bytes);
      }
    }
    var out = new java.io.ByteArrayOutputStream();
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    writeFrame(out, SETTINGS, 0, new byte[0]);
    for (int i = 0; i < streams; i++) {
      byte[] payload = block.toByteArray();
      ByteBuffer header = ByteBuffer.allocate(9);
      header.put((byte) (payload.length >>> 16)).putShort((short) payload.length).put((byte) HEADERS)
          .put((byte) 0x4 /* END_HEADERS */).putInt(2 * i + 1);
      out.write(header.array());
      out.write(payload);
      if (reset) {
        ByteBuffer rst = ByteBuffer.allocate(13);
        rst.put((byte) 0).putShort((short) 4).put((byte) RST_STREAM).put((byte) 0).putInt(2 * i + 1).putInt(0x8 /* CANCEL */);
        out.write(rst.array());
      }
    }
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000); // every read is bounded
    socket.getOutputStream().write(out.toByteArray());
    socket.getOutputStream().flush();
    return socket;
  }

  private static final int SETTINGS = 0x4;
  private static final int PING = 0x6;
  private static final int GOAWAY = 0x7;

  /** An HTTP/2 frame (RFC 9113, section 4.1) on stream 0. */
  private record Frame(int type, int flags, byte[] payload) {
    boolean isPingAck() {
      return type == PING && (flags & 0x1) != 0;
    }
  }

  /** A raw HTTP/2 client: preface, empty SETTINGS, then {@code pings} PING frames at once. */
  private static Socket pingFlood(int port, int pings) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000); // every read below is bounded
    // One write of everything: the server may answer the pings with GOAWAY and close before a
    // frame-by-frame writer is done, which made the write fail with a broken pipe.
    var flood = new java.io.ByteArrayOutputStream();
    flood.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    writeFrame(flood, SETTINGS, 0, new byte[0]);
    for (int i = 0; i < pings; i++) {
      writeFrame(flood, PING, 0, new byte[8]);
    }
    OutputStream out = socket.getOutputStream();
    out.write(flood.toByteArray());
    out.flush();
    return socket;
  }

  /** Reads the next frame, acknowledging the server's SETTINGS as a client must. */
  private static Frame readFrame(Socket socket, DataInputStream in) throws IOException {
    int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    in.readInt(); // stream id
    Frame frame = new Frame(type, flags, in.readNBytes(length));
    if (type == SETTINGS && (flags & 0x1) == 0) {
      try {
        writeFrame(socket.getOutputStream(), SETTINGS, 0x1, new byte[0]);
        socket.getOutputStream().flush();
      } catch (java.net.SocketException closed) {
        // The server may already have sent GOAWAY and closed: the frames already read still count.
      }
    }
    return frame;
  }

  private static void writeFrame(OutputStream out, int type, int flags, byte[] payload) throws IOException {
    writeFrame(out, type, flags, 0, payload);
  }

  private static void writeFrame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(9);
    header.put((byte) (payload.length >>> 16)).putShort((short) payload.length).put((byte) type).put((byte) flags).putInt(stream);
    out.write(header.array());
    out.write(payload);
  }

  @Test
  void garbageBytesOnThePortDoNotDisturbOtherConnections() throws Exception {
    GrpcServer server = server(s -> s, new EchoService("A", null));
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server));
    assertThat(stub.echo(echo("before")).getMessage()).isEqualTo("before");

    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] noise = new byte[64 * 1024];
      new java.util.Random(42).nextBytes(noise);
      out.write(noise);
      out.flush();
      // The server answers the bad preface (if at all) and closes this connection.
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      int read = 0;
      while (read >= 0 && System.nanoTime() < deadline) {
        try {
          read = in.read(buffer);
        } catch (java.net.SocketException reset) {
          read = -1;
        }
      }
      assertThat(read).isEqualTo(-1);
    }
    // The established connection and new ones still work.
    assertThat(stub.echo(echo("after")).getMessage()).isEqualTo("after");
    assertThat(TestServiceGrpc.newBlockingStub(channel("fresh", server)).echo(echo("new")).getMessage())
        .isEqualTo("new");
  }

  @Test
  void loadSheddingAnswersResourceExhaustedAtOnceWhenSaturated() throws Exception {
    GrpcServer server = server(s -> s.maxConcurrentCalls(2), new EchoService("A", null));
    Channel channel = channel("a", server, c -> c.breakerEnabled(false));
    var async = TestServiceGrpc.newFutureStub(channel);
    var inFlight = new CopyOnWriteArrayList<com.google.common.util.concurrent.ListenableFuture<EchoReply>>();
    for (int i = 0; i < 2; i++) {
      inFlight.add(async.echo(echo("slow").toBuilder().setDelayMillis(800).build()));
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                registry
                        .get("resilience4j.bulkhead.available.concurrent.calls")
                        .tag("name", "grpc-server")
                        .gauge()
                        .value()
                    == 0);

    long start = System.nanoTime();
    assertThatThrownBy(() -> TestServiceGrpc.newBlockingStub(channel).echo(echo("third")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
    // Health checks are never shed.
    assertThat(
            HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
    for (var future : inFlight) {
      assertThat(future.get(5, TimeUnit.SECONDS).getMessage()).isEqualTo("slow");
    }
    // Permits come back: calls pass again.
    assertThat(TestServiceGrpc.newBlockingStub(channel).echo(echo("again")).getMessage())
        .isEqualTo("again");
  }

  @Test
  void maxConnectionAgeMakesClientsReconnectWithoutFailingCalls() throws Exception {
    // 1s is grpc-java's smallest max-connection-age.
    GrpcServer server =
        server(
            s -> s.maxConnectionAge(Duration.ofSeconds(1)).maxConnectionAgeGrace(Duration.ofSeconds(1)),
            new EchoService("A", null));
    var stub = TestServiceGrpc.newBlockingStub(channel("a", server, c -> c.retryMaxAttempts(1)));
    java.util.Set<String> peers = new java.util.HashSet<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      assertThat(stub.echo(echo("ping")).getMessage()).isEqualTo("ping");
      peers.clear();
      logs.from(GrpcServer.ACCESS_LOGGER)
          .forEach(l -> peers.add((String) l.fields().get("peer")));
      if (peers.size() >= 2) {
        break;
      }
    }
    // Another client port: the connection was aged out (GOAWAY) and a new one opened.
    assertThat(peers).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void stopLetsCallsInFlightFinishAndRefusesNewOnes() throws Exception {
    GrpcServer server = server(s -> s, new EchoService("A", null));
    Channel channel = channel("a", server, c -> c.retryMaxAttempts(1));
    var inFlight =
        TestServiceGrpc.newFutureStub(channel).echo(echo("slow").toBuilder().setDelayMillis(500).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> logs.from(EchoService.LOGGER).size() == 1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread stopper =
        new Thread(
            () -> {
              try {
                server.stop(Duration.ofSeconds(5));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              stopped.countDown();
            });
    stopper.start();
    assertThat(inFlight.get(5, TimeUnit.SECONDS).getMessage()).isEqualTo("slow");
    assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> TestServiceGrpc.newBlockingStub(channel).echo(echo("late")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

}
