package dev.pave.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kubernetes termination sequence, proven on a real child JVM with real signals and sockets. */
class ProcessLifecycleTest {
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> getAsync(int port, String path) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertInOrder(String output, String... regexes) {
    int from = 0;
    for (String regex : regexes) {
      var m = Pattern.compile(regex).matcher(output);
      assertThat(m.find(from)).as("'%s' after position %d in:%n%s", regex, from, output).isTrue();
      from = m.end();
    }
  }

  @Test
  void sigterm_whenIdle_drainsStopsInOrderAndExitsZeroAfterTheDrainDelay() throws Exception {
    Duration drain = Duration.ofMillis(1000);
    try (ChildService child = ChildService.start(dir, Map.of("lifecycle.drain-delay", "1000ms"))) {
      int admin = child.adminPort();
      assertThat(get(admin, "/readyz").statusCode()).isEqualTo(200);

      long sent = System.nanoTime();
      child.signal("TERM");
      int exit = child.awaitExit(Duration.ofSeconds(20));
      Duration took = Duration.ofNanos(System.nanoTime() - sent);

      assertThat(exit).isZero();
      assertThat(took).isBetween(drain.minusSeconds(1), drain.plusSeconds(1));
      assertInOrder(child.output(), "SIGTERM received", "lifecycle state DRAINING", "lifecycle state STOPPING",
          "component app-server stopped", "lifecycle state STOPPED");
    }
  }

  @Test
  void sigterm_duringASlowRequest_letsItCompleteSuccessfully() throws Exception {
    try (ChildService child = ChildService.start(dir, Map.of("lifecycle.drain-delay", "200ms"))) {
      child.adminPort();
      int app = child.appPort();
      CompletableFuture<HttpResponse<String>> slow = getAsync(app, "/slow?ms=1500");
      child.awaitLog("slow request started", Duration.ofSeconds(10));

      child.signal("TERM");

      HttpResponse<String> response = slow.get();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("slow done");
      assertThat(child.awaitExit(Duration.ofSeconds(20))).isZero();
      assertInOrder(child.output(), "lifecycle state STOPPING", "slow request finished", "lifecycle state STOPPED");
    }
  }

  @Test
  void sigterm_withAHungStop_abandonsItByNameAndStillExitsWithinBudget() throws Exception {
    Map<String, String> props = Map.of(
        "test.hung-stop", "true",
        "lifecycle.drain-delay", "200ms",
        "lifecycle.shutdown-timeout", "1s",
        "lifecycle.telemetry-flush-timeout", "1s",
        "lifecycle.termination-grace-period", "3s");
    try (ChildService child = ChildService.start(dir, props)) {
      child.adminPort();
      long sent = System.nanoTime();
      child.signal("TERM");
      int exit = child.awaitExit(Duration.ofSeconds(20));
      Duration took = Duration.ofNanos(System.nanoTime() - sent);

      assertThat(exit).isZero();
      assertThat(took).isLessThan(Duration.ofSeconds(3));
      // reverse order: hung-stop (registered last) first, then app-server still stops
      assertInOrder(child.output(), "component 'hung-stop' did not stop within [^;]*; abandoned",
          "component app-server stopped", "lifecycle state STOPPED");
    }
  }

  @Test
  void prestop_failsReadinessAtOnceKeepsServingAndReturnsAfterTheDrainDelay() throws Exception {
    Duration drain = Duration.ofMillis(1500);
    try (ChildService child = ChildService.start(dir, Map.of("lifecycle.drain-delay", "1500ms"))) {
      int admin = child.adminPort();
      int app = child.appPort();
      assertThat(get(admin, "/readyz").statusCode()).isEqualTo(200);

      long sent = System.nanoTime();
      CompletableFuture<HttpResponse<String>> prestop = getAsync(admin, "/prestop");
      Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
          .until(() -> get(admin, "/readyz").statusCode() == 503);
      Duration notReadyAfter = Duration.ofNanos(System.nanoTime() - sent);

      assertThat(notReadyAfter).isLessThan(Duration.ofMillis(100));
      assertThat(prestop).isNotDone();
      assertThat(get(app, "/hello").body()).isEqualTo("hello");
      assertThat(get(admin, "/livez").statusCode()).isEqualTo(200);

      HttpResponse<String> response = prestop.get();
      Duration prestopTook = Duration.ofNanos(System.nanoTime() - sent);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(prestopTook).isGreaterThanOrEqualTo(drain);
      // a repeated preStop is harmless and returns at once (the drain already happened)
      assertThat(get(admin, "/prestop").statusCode()).isEqualTo(200);

      // The kubelet's SIGTERM after preStop does not wait a second drain delay.
      long term = System.nanoTime();
      child.signal("TERM");
      child.signal("TERM");
      assertThat(child.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - term)).isLessThan(drain);
      String out = child.output();
      assertInOrder(out, "lifecycle state DRAINING", "preStop received; draining for 1.5s", "preStop received again",
          "SIGTERM received", "lifecycle state STOPPING", "lifecycle state STOPPED");
      // The second TERM is harmless: one drain, exit 0. Whether it is logged ("shutdown already
      // in progress") is not asserted: the kernel may merge two signals sent back to back, or the
      // process may have stopped before the second arrives (a CI run showed both).
      assertThat(Pattern.compile("lifecycle state DRAINING").matcher(out).results().count()).isEqualTo(1);
      assertThat(Pattern.compile("lifecycle state STOPPING").matcher(out).results().count()).isEqualTo(1);
    }
  }

  @Test
  void secondSigint_skipsTheRestOfTheDrainDelay() throws Exception {
    try (ChildService child = ChildService.start(dir, Map.of("lifecycle.drain-delay", "200ms",
        "lifecycle.drain-delay-on-signal", "6s"))) {
      child.adminPort();
      child.signal("INT");
      child.awaitLog("lifecycle state DRAINING", Duration.ofSeconds(10));
      long second = System.nanoTime();
      child.signal("INT");
      assertThat(child.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - second)).isLessThan(Duration.ofSeconds(4));
      assertInOrder(child.output(), "SIGINT received; draining for 6s", "SIGINT received again",
          "drain delay skipped", "lifecycle state STOPPING", "lifecycle state STOPPED");
    }
  }

  @Test
  void budgetOverflow_refusesToStartWithExitOneNamingTheThreeValues() throws Exception {
    try (ChildService child = ChildService.start(dir, Map.of(
        "lifecycle.drain-delay", "10s",
        "lifecycle.shutdown-timeout", "25s",
        "lifecycle.telemetry-flush-timeout", "2s"))) {
      assertThat(child.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
      assertThat(child.output())
          .contains("lifecycle.drain-delay (10s)")
          .contains("lifecycle.shutdown-timeout (25s)")
          .contains("lifecycle.telemetry-flush-timeout (2s)")
          .contains("lifecycle.termination-grace-period (30s)")
          .doesNotContain("READY");
    }
  }

  @Test
  void uncaughtException_isLoggedWithItsTraceIdAndCounted() throws Exception {
    try (ChildService child = ChildService.start(dir, Map.of("test.uncaught", "true", "lifecycle.drain-delay", "0ms"))) {
      int admin = child.adminPort();
      String traceId = child.awaitLog("failing task trace ([0-9a-f]{32})", Duration.ofSeconds(10));
      String line = child.awaitLog("(\\{[^\\n]*uncaught exception on thread 'boom-1'[^\\n]*)", Duration.ofSeconds(10));
      assertThat(line).contains("\"trace_id\":\"" + traceId + "\"").contains("task exploded");
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> get(admin, "/metrics").body().contains("pave_uncaught_exceptions_total 1.0"));
      child.signal("TERM");
      assertThat(child.awaitExit(Duration.ofSeconds(20))).isZero();
    }
  }

  @Test
  void aStartFailingOnItsConfiguration_namesTheServiceInItsLastLines() throws Exception {
    // Noticed in stop 21: the failure line of a bad configuration carried unknown_service:java.
    try (ChildService child = ChildService.start(dir, Map.of("logging.level.root", "LOUD"))) {
      assertThat(child.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
      String failure = child.output().lines().filter(l -> l.contains("failed to start")).findFirst().orElseThrow();
      assertThat(failure).contains("logging.level.root").contains("\"service.name\":\"test-service\"");
    }
  }

  @Test
  void failedStart_stopsWhatStartedLogsTheComponentAndExitsOne() throws Exception {
    try (ChildService child = ChildService.start(dir, Map.of("test.fail-start", "true"))) {
      assertThat(child.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
      String out = child.output();
      assertInOrder(out, "app endpoint on port",
          "component app-server stopped",
          "service 'test-service' failed to start: component 'broken-db' failed to start: IOException: connection refused");
      assertThat(out).doesNotContain("READY in");
    }
  }
}
