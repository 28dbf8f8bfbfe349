package dev.pave.benchmarks.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pave.samples.payments.v1.AuthorizeRequest;
import dev.pave.samples.payments.v1.PaymentServiceGrpc;
import dev.pave.testsupport.ChildJvm;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recommended start command of docs/core.md, run as written on the JDK this test runs on (CI
 * runs it on 17 and on 25): the payments sample's jar, its training run making the JDK's cache
 * (AppCDS on 17, the AOT cache on 25), then a start with it that serves a call. The speed is
 * measured by {@link StartupAcrossJdks}, not here; this test holds what a reader of the docs would
 * trip on: the command starts the service, stdout carries nothing but JSON lines, and stderr stays
 * empty (no JVM warning about native access, {@code sun.misc.Unsafe} or a cache), also when the
 * cache is missing.
 */
class RecommendedStartTest {

  private static final Path JAR = Path.of("..", "samples", "payments", "target", "payments.jar").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;

  @TempDir Path tmp;

  @Test
  void theTrainingRunMakesTheCache_thenTheRecommendedStartReachesReadyWithOnlyJsonOnStdoutAndNothingOnStderr()
      throws Exception {
    assertThat(JAR).as("run after the samples are packaged (mvn verify does)").isRegularFile();
    Path cache = tmp.resolve(AOT_CACHE ? "app.aot" : "app.jsa");

    try (ChildJvm training = service(List.of(
        AOT_CACHE ? "-XX:AOTCacheOutput=" + cache : "-XX:ArchiveClassesAtExit=" + cache,
        "-Dlifecycle.exit-when-ready=true"))) {
      assertThat(training.awaitExit(Duration.ofSeconds(120))).as(training.stdoutText() + training.stderr()).isZero();
    }
    assertThat(cache).as("the training run's cache").isNotEmptyFile();

    startReadyAndStop(cache);
  }

  @Test
  void withoutItsCacheTheSameCommandStillStarts_andTheJvmSaysNothingOnStdout() throws Exception {
    assertThat(JAR).as("run after the samples are packaged (mvn verify does)").isRegularFile();
    startReadyAndStop(tmp.resolve("missing-" + (AOT_CACHE ? "app.aot" : "app.jsa")));
  }

  /** The every-start command of docs/core.md with {@code cache}; READY, JSON only, SIGTERM, exit 0. */
  private void startReadyAndStop(Path cache) throws Exception {
    List<String> flags = new ArrayList<>(AOT_CACHE
        ? List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off", "--sun-misc-unsafe-memory-access=allow")
        : List.of("-XX:SharedArchiveFile=" + cache, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    flags.addAll(List.of("-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
        "-Djdk.reflect.useNativeAccessorOnly=true"));
    try (ChildJvm service = service(flags)) {
      int port = Integer.parseInt(service.awaitOutput("gRPC server listening on 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(60)));
      service.awaitOutput("service 'payments' READY in \\d+ ms", Duration.ofSeconds(60));
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        assertThat(PaymentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
            .authorize(AuthorizeRequest.newBuilder().setAmountMinor(1200).setCurrency("JPY").setCardToken("tok_visa")
                .setReference("ord_recommended").build())
            .getApproved()).isTrue();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      service.sigterm();
      assertThat(service.awaitExit(Duration.ofSeconds(60))).as(service.stdoutText() + service.stderr()).isZero();
      assertThat(service.lines()).as("stdout").isNotEmpty().allSatisfy(line ->
          assertThat(JSON.readTree(line).path("log.level").isTextual()).as(line).isTrue());
      assertThat(service.stderr()).as("stderr").isEmpty();
    }
  }

  private ChildJvm service(List<String> flags) throws Exception {
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("payments.api-key"), "recommended-start-key-0123456789");
    return ChildJvm.builder(tmp, JAR)
        .withoutDefaultJvmArgs()
        .jvmArgs(flags)
        .removeEnv(name -> name.startsWith("JAVA_TOOL_OPTIONS") || name.startsWith("JDK_JAVA_OPTIONS")
            || name.startsWith("_JAVA_OPTIONS"))
        .env(Map.of("MALLOC_ARENA_MAX", "2", "GRPC_PORT", "0", "GRPC_SERVER_HOST", "127.0.0.1", "ADMIN_PORT", "0",
            "ADMIN_HOST", "127.0.0.1", "LIFECYCLE_DRAIN_DELAY", "0s", "SECRETS_DIR", secrets.toString(),
            "CONFIG_DIRS", tmp.resolve("no-config-dir").toString()))
        .start();
  }
}
