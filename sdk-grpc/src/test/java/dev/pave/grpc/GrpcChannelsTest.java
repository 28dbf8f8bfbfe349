package dev.pave.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.grpc.test.EchoRequest;
import dev.pave.grpc.test.TestServiceGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pave's client channels against a real server on 127.0.0.1: retry and circuit breaker. */
class GrpcChannelsTest {

  private final TestTelemetry telemetry = new TestTelemetry();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final EchoService service = new EchoService("A", null);
  private final GrpcServer server =
      GrpcServer.builder()
          .settings(GrpcServerSettings.builder().host("127.0.0.1").port(0).build())
          .meterRegistry(registry)
          .openTelemetry(telemetry.sdk)
          .build()
          .addService(service);
  private final GrpcChannels channels =
      GrpcChannels.builder().meterRegistry(registry).openTelemetry(telemetry.sdk).build();

  @AfterEach
  void stop() throws InterruptedException {
    channels.close(Duration.ofSeconds(2));
    server.stop(Duration.ofSeconds(2));
    telemetry.close();
  }

  private TestServiceGrpc.TestServiceBlockingStub stub(
      UnaryOperator<GrpcClientSettings.Builder> settings) throws Exception {
    server.start();
    Channel channel =
        channels.channel(
            settings
                .apply(GrpcClientSettings.builder("a", "dns:///127.0.0.1:" + server.port()))
                .build());
    return TestServiceGrpc.newBlockingStub(channel);
  }

  private static EchoRequest failing(String mode) {
    return EchoRequest.newBuilder().setMessage("x").setFail(mode).build();
  }

  private static Status.Code codeOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void unavailableIsRetriedUpToMaxAttempts() throws Exception {
    var stub = stub(c -> c.retryMaxAttempts(3).retryInitialBackoff(Duration.ofMillis(10)).breakerEnabled(false));

    assertThat(codeOf(() -> stub.echo(failing("unavailable")))).isEqualTo(Status.Code.UNAVAILABLE);

    assertThat(service.invocations).hasValue(3);
  }

  @Test
  void aNonIdempotentFailureIsNotRetried() throws Exception {
    var stub = stub(c -> c.retryMaxAttempts(5).retryInitialBackoff(Duration.ofMillis(10)).breakerEnabled(false));

    // INTERNAL may have happened after side effects: by default only UNAVAILABLE is retried.
    assertThat(codeOf(() -> stub.echo(failing("runtime")))).isEqualTo(Status.Code.INTERNAL);
    assertThat(codeOf(() -> stub.echo(failing("illegal-argument"))))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);

    assertThat(service.invocations).hasValue(2);
  }

  @Test
  void anIdempotentMethodCanOptInToMoreCodes() throws Exception {
    var stub =
        stub(
            c ->
                c.retryMaxAttempts(3)
                    .retryInitialBackoff(Duration.ofMillis(10))
                    .retryMethodStatusCodes(
                        "pave.grpc.test.TestService/Echo",
                        EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.INTERNAL))
                    .breakerEnabled(false));

    assertThat(codeOf(() -> stub.echo(failing("runtime")))).isEqualTo(Status.Code.INTERNAL);

    assertThat(service.invocations).hasValue(3);
  }

  @Test
  void retriesStopAtTheDeadline() throws Exception {
    var stub =
        stub(
            c ->
                c.retryMaxAttempts(10)
                    .retryInitialBackoff(Duration.ofMillis(50))
                    .retryMaxBackoff(Duration.ofMillis(50))
                    .breakerEnabled(false));
    EchoRequest slowFailure =
        EchoRequest.newBuilder().setMessage("x").setFail("unavailable").setDelayMillis(150).build();

    long start = System.nanoTime();
    Status.Code code =
        codeOf(() -> stub.withDeadlineAfter(500, TimeUnit.MILLISECONDS).echo(slowFailure));
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(code).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(elapsedMillis).isLessThan(1_500);
    // Each attempt takes at least 150ms: at most 4 fit in 500ms, never the 10 allowed.
    assertThat(service.invocations.get()).isBetween(1, 4);
  }

  @Test
  void theBreakerOpensAfterTheThresholdThenFailsFastWithoutANetworkCall() throws Exception {
    var stub =
        stub(
            c ->
                c.retryMaxAttempts(1)
                    .breakerSlidingWindowSize(4)
                    .breakerMinimumNumberOfCalls(4)
                    .breakerFailureRateThreshold(50)
                    .breakerWaitInOpenState(Duration.ofMinutes(1)));

    for (int i = 0; i < 4; i++) {
      assertThat(codeOf(() -> stub.echo(failing("runtime")))).isEqualTo(Status.Code.INTERNAL);
    }
    assertThat(service.invocations).hasValue(4);
    assertThat(
            Scrape.value(
                registry.scrape(),
                "resilience4j_circuitbreaker_state",
                "name=\"a\"",
                "state=\"open\""))
        .isEqualTo(1);

    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.echo(EchoRequest.newBuilder().setMessage("ok").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo("circuit breaker 'a' is OPEN: failing fast");
            });
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
    // No network call: the server saw nothing more.
    assertThat(service.invocations).hasValue(4);
  }

  @Test
  void clientErrorsDoNotOpenTheBreaker() throws Exception {
    var stub =
        stub(c -> c.breakerSlidingWindowSize(4).breakerMinimumNumberOfCalls(4));

    for (int i = 0; i < 6; i++) {
      assertThat(codeOf(() -> stub.echo(failing("illegal-argument"))))
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    assertThat(stub.echo(EchoRequest.newBuilder().setMessage("ok").build()).getMessage())
        .isEqualTo("ok");
  }

  @Test
  void theSameNameGivesTheSameChannel_andAnotherTargetIsAnError() throws Exception {
    server.start();
    GrpcClientSettings settings = GrpcClientSettings.builder("a", "dns:///127.0.0.1:1").build();
    Channel first = channels.channel(settings);

    assertThat(channels.channel(settings)).isSameAs(first);
    assertThatThrownBy(
            () -> channels.channel(GrpcClientSettings.builder("a", "dns:///127.0.0.1:2").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'a'")
        .hasMessageContaining("dns:///127.0.0.1:1")
        .hasMessageContaining("dns:///127.0.0.1:2");
  }

  @Test
  void theSameNameWithEqualSettingsIsTheSameChannel_butAnyOtherSettingIsAnError() throws Exception {
    server.start();
    Channel first = channels.channel(
        GrpcClientSettings.builder("b", "dns:///127.0.0.1:1").retryMaxAttempts(2).build());

    // Equal values built separately: the same channel.
    assertThat(channels.channel(
            GrpcClientSettings.builder("b", "dns:///127.0.0.1:1").retryMaxAttempts(2).build()))
        .isSameAs(first);
    // Same target, other retry policy: before, only the target was compared and this silently
    // returned the channel with the first policy.
    assertThatThrownBy(() -> channels.channel(
            GrpcClientSettings.builder("b", "dns:///127.0.0.1:1").retryMaxAttempts(5).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'b' already exists with other settings")
        .hasMessageContaining("retryMaxAttempts=2")
        .hasMessageContaining("retryMaxAttempts=5");
  }
}
