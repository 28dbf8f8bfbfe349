package dev.pave.benchmarks.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pave.samples.payments.v1.AuthorizeRequest;
import dev.pave.samples.payments.v1.PaymentServiceGrpc;
import dev.pave.testsupport.ChildJvm;
import dev.pave.testsupport.RuntimeImage;
import dev.pave.testsupport.ServiceLog;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recommended start command of docs/core.md, run as written on the JDK this test runs on (CI
 * runs it on 17 and on 25): the payments sample's jar, its training run making the JDK's cache
 * (AppCDS on 17, the AOT cache on 25), then a start with it that serves a call. The speed is
 * measured by {@link StartupAcrossJdks}, not here; this test holds what a reader of the docs would
 * trip on: the command starts the service, stdout carries nothing but JSON lines, and stderr stays
 * empty (no JVM warning about native access, {@code sun.misc.Unsafe} or a cache), also when the
 * cache is missing; and the JVM options the samples' manifests set are ones this JDK accepts.
 */
class RecommendedStartTest {

  private static final Path JAR = Path.of("..", "samples", "payments", "target", "payments.jar").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;
  /** A manifest's {@code JAVA_TOOL_OPTIONS} entry; group 1 is the options. */
  private static final Pattern TOOL_OPTIONS = Pattern.compile("name: JAVA_TOOL_OPTIONS, value: \"([^\"]+)\"");

  @TempDir Path tmp;

  @Test
  void theTrainingRunMakesTheCache_thenTheRecommendedStartReachesReadyWithOnlyJsonOnStdoutAndNothingOnStderr()
      throws Exception {
    assertThat(JAR).as("run after the samples are packaged (mvn verify does)").isRegularFile();
    trainThenStart(null);
  }

  /**
   * The same on docs/core.md's runtime image, linked by this JDK's jlink: the JDK without {@code
   * jdk.localedata}, where the service starts, serves a call and logs as on the whole JDK, and its
   * own training run makes the cache it starts with.
   */
  @Test
  void onTheRuntimeImageWithoutLocaleData_theTrainingRunAndTheRecommendedStartWorkAsOnTheJdk() throws Exception {
    assertThat(JAR).as("run after the samples are packaged (mvn verify does)").isRegularFile();
    Path java = RuntimeImage.link(Path.of(System.getProperty("java.home")), tmp.resolve("runtime"));
    assertThat(RuntimeImage.modules(java)).as("the image's modules")
        .contains("java.base", "java.management", "jdk.unsupported").doesNotContain("jdk.localedata");
    trainThenStart(java);
  }

  /** docs/core.md's training run on {@code java} (null: this JDK's), then its start with the cache. */
  private void trainThenStart(Path java) throws Exception {
    Path cache = tmp.resolve(AOT_CACHE ? "app.aot" : "app.jsa");
    // The training run: the start's options, with the cache's output option instead of its input.
    List<String> training = new ArrayList<>(List.of(AOT_CACHE ? "-XX:AOTCacheOutput=" + cache : "-XX:ArchiveClassesAtExit=" + cache));
    training.addAll(StartupAcrossJdks.recommendedOptions(AOT_CACHE));
    training.add("-Dlifecycle.exit-when-ready=true");
    try (ChildJvm run = service(java, training, Map.of())) {
      assertThat(run.awaitExit(Duration.ofSeconds(120))).as(run.stdoutText() + run.stderr()).isZero();
    }
    assertThat(cache).as("the training run's cache").isNotEmptyFile();

    startReadyAndStop(java, everyStart(cache), Map.of(), "");
  }

  /** The every-start command's options of docs/core.md with {@code cache}. */
  private static List<String> everyStart(Path cache) {
    List<String> flags = new ArrayList<>(List.of((AOT_CACHE ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cache));
    flags.addAll(StartupAcrossJdks.recommendedOptions(AOT_CACHE));
    return flags;
  }

  @Test
  void withoutItsCacheTheSameCommandStillStarts_andTheJvmSaysNothingOnStdout() throws Exception {
    assertThat(JAR).as("run after the samples are packaged (mvn verify does)").isRegularFile();
    startReadyAndStop(null, everyStart(tmp.resolve("missing-" + (AOT_CACHE ? "app.aot" : "app.jsa"))), Map.of(), "");
  }

  /**
   * Every other place that spells the recommended options out has them all: the three manifests'
   * {@code JAVA_TOOL_OPTIONS} (the samples' two and the archetype's), and {@code sdk-parent}'s
   * {@code pave.training-jvm-options}, which leaves out only what does not change a training run
   * (the heap's share of the memory limit, the exit on an {@code OutOfMemoryError}).
   */
  @Test
  void theManifestsAndSdkParentsTrainingRunsSpellTheSameRecommendedOptions() throws Exception {
    for (Path manifest : List.of(Path.of("..", "samples", "k8s", "payments.yaml"), Path.of("..", "samples", "k8s", "checkout.yaml"),
        Path.of("..", "sdk-archetype", "src", "main", "resources", "archetype-resources", "k8s", "service.yaml"))) {
      Matcher options = TOOL_OPTIONS.matcher(Files.readString(manifest));
      assertThat(options.find()).as("JAVA_TOOL_OPTIONS in %s", manifest).isTrue();
      assertThat(options.group(1).split(" ")).as("the recommended options in %s", manifest)
          .contains(StartupAcrossJdks.RECOMMENDED.toArray(String[]::new));
    }
    Path parent = Path.of("..", "sdk-parent", "pom.xml");
    Matcher training = Pattern.compile("<pave.training-jvm-options>([^<]+)</pave.training-jvm-options>")
        .matcher(Files.readString(parent));
    assertThat(training.find()).as("pave.training-jvm-options in %s", parent).isTrue();
    assertThat(training.group(1).split(" ")).as("pave.training-jvm-options in %s", parent)
        .contains(StartupAcrossJdks.RECOMMENDED.stream()
            .filter(option -> !option.startsWith("-XX:MaxRAMPercentage=") && !option.equals("-XX:+ExitOnOutOfMemoryError"))
            .toArray(String[]::new));
  }

  /**
   * The JVM options the samples' manifests set in {@code JAVA_TOOL_OPTIONS}, read from
   * samples/k8s/payments.yaml (the test above checks they hold the recommended ones): the JDK this
   * runs on accepts each of them (an option a JDK does not know stops the JVM before {@code main}),
   * the service serves a call, and the JVM says nothing on stderr but that it picked them up.
   */
  @Test
  void theManifestsJavaToolOptionsAreAcceptedByThisJdk() throws Exception {
    assertThat(JAR).as("run after the samples are packaged (mvn verify does)").isRegularFile();
    Path manifest = Path.of("..", "samples", "k8s", "payments.yaml");
    Matcher options = TOOL_OPTIONS.matcher(Files.readString(manifest));
    assertThat(options.find()).as("JAVA_TOOL_OPTIONS in %s", manifest).isTrue();
    String pickedUp = "Picked up JAVA_TOOL_OPTIONS: " + options.group(1) + System.lineSeparator();
    // JDK 23+ without --sun-misc-unsafe-memory-access=allow (JDK 17 refuses it, so the manifests
    // cannot carry it; docs/core.md's JDK 25 command does): protobuf's four-line Unsafe warning.
    String unsafeWarning = Runtime.version().feature() >= 23
        ? String.join(System.lineSeparator(),
            "WARNING: A terminally deprecated method in sun.misc.Unsafe has been called",
            "WARNING: sun.misc.Unsafe::arrayBaseOffset has been called by com.google.protobuf.UnsafeUtil$MemoryAccessor (file:" + JAR + ")",
            "WARNING: Please consider reporting this to the maintainers of class com.google.protobuf.UnsafeUtil$MemoryAccessor",
            "WARNING: sun.misc.Unsafe::arrayBaseOffset will be removed in a future release") + System.lineSeparator()
        : "";
    startReadyAndStop(null, List.of(), Map.of("JAVA_TOOL_OPTIONS", options.group(1)), pickedUp + unsafeWarning);
  }

  /**
   * Starts the jar on {@code java} (null: this JDK's) with {@code flags} and {@code env}: a call
   * served, JSON-only stdout, exactly {@code stderr}.
   */
  private void startReadyAndStop(Path java, List<String> flags, Map<String, String> env, String stderr) throws Exception {
    try (ChildJvm service = service(java, flags, env)) {
      int port = Integer.parseInt(service.awaitOutput(ServiceLog.GRPC_PORT, Duration.ofSeconds(60)));
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
      assertThat(service.stderr()).as("stderr").isEqualTo(stderr);
    }
  }

  private ChildJvm service(Path java, List<String> flags, Map<String, String> env) throws Exception {
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("payments.api-key"), "recommended-start-key-0123456789");
    ChildJvm.Builder builder = ChildJvm.builder(tmp, JAR);
    if (java != null) {
      builder.java(java);
    }
    return builder
        .withoutDefaultJvmArgs()
        .jvmArgs(flags)
        .removeEnv(name -> name.startsWith("JAVA_TOOL_OPTIONS") || name.startsWith("JDK_JAVA_OPTIONS")
            || name.startsWith("_JAVA_OPTIONS"))
        .env(Map.of("MALLOC_ARENA_MAX", "2", "GRPC_PORT", "0", "GRPC_SERVER_HOST", "127.0.0.1", "ADMIN_PORT", "0",
            "ADMIN_HOST", "127.0.0.1", "LIFECYCLE_DRAIN_DELAY", "0s", "SECRETS_DIR", secrets.toString(),
            "CONFIG_DIRS", tmp.resolve("no-config-dir").toString()))
        .env(env)
        .start();
  }
}
