package dev.pave.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pave.config.Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The admin endpoints of a service started in this JVM on a random port on 127.0.0.1. */
class AdminEndpointsTest {
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper json = new ObjectMapper();

  private RunningService service;

  @AfterEach
  void stop() {
    if (service != null) {
      service.stop();
    }
  }

  private RunningService start(boolean exposeConfig, java.util.function.Consumer<ServiceContext> setup) {
    return start(exposeConfig, java.util.Map.of(), setup);
  }

  private RunningService start(boolean exposeConfig, java.util.Map<String, String> env,
      java.util.function.Consumer<ServiceContext> setup) {
    Config config = Config.builder()
        .environment(env)
        .override("admin.host", "127.0.0.1")
        .override("admin.port", "0")
        .override("admin.expose-config", Boolean.toString(exposeConfig))
        .override("admin.loglevel.enabled", "true")
        .override("lifecycle.drain-delay", "0ms")
        .override("health.check-interval", "100ms")
        .override("health.check-timeout", "1s")
        .override("service.version", "1.2.3")
        .secret("db.password", "hunter2-secret-value")
        .build();
    service = Pave.service("admin-test").config(config).start(setup);
    return service;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.adminAddress().getPort() + path));
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path));
  }

  private static void assertNoStackTrace(HttpResponse<String> response) {
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(".java:");
  }

  @Test
  void probes_ofAReadyService_answer200AndVerboseJsonParses() throws Exception {
    start(false, svc -> svc.health().readiness("always", () -> HealthCheck.Result.healthy()));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> get("/readyz").statusCode() == 200);

    assertThat(get("/livez").statusCode()).isEqualTo(200);
    assertThat(get("/startupz").statusCode()).isEqualTo(200);
    JsonNode ready = json.readTree(get("/readyz?verbose").body());
    assertThat(ready.get("status").asText()).isEqualTo("UP");
    assertThat(ready.get("state").asText()).isEqualTo("READY");
    assertThat(ready.get("checks").get(0).get("name").asText()).isEqualTo("always");
    assertThat(ready.get("checks").get(0).get("status").asText()).isEqualTo("UP");
    assertThat(ready.get("checks").get(0).has("durationMs")).isTrue();
    JsonNode live = json.readTree(get("/livez?verbose").body());
    assertThat(live.get("checks").findValuesAsText("name")).contains("deadlocks");
    assertThat(json.readTree(get("/startupz?verbose").body()).get("state").asText()).isEqualTo("READY");
  }

  @Test
  void aHangingCheck_doesNotSlowReadyzAndReportsItsTimeout() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    start(false, svc -> svc.health().readiness("hangs", () -> {
      never.await();
      return HealthCheck.Result.healthy();
    }));
    try {
      for (int i = 0; i < 20; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> response = get("/readyz");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(response.statusCode()).isEqualTo(503);
      }
      Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        JsonNode check = json.readTree(get("/readyz?verbose").body()).get("checks").get(0);
        assertThat(check.get("status").asText()).isEqualTo("DOWN");
        assertThat(check.get("error").asText()).isEqualTo("timed out after 1s");
      });
    } finally {
      never.countDown();
    }
  }

  @Test
  void aFailingCheck_turnsReadyzTo503WithItsMessage() throws Exception {
    start(false, svc -> svc.health().readiness("db", () -> {
      throw new IOException("db unreachable");
    }));
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      HttpResponse<String> response = get("/readyz?verbose");
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(json.readTree(response.body()).get("checks").get(0).get("error").asText())
          .isEqualTo("IOException: db unreachable");
    });
  }

  @Test
  void badRequests_get404_405_413_414_400WithoutAStackTrace() throws Exception {
    start(false, svc -> {});
    HttpResponse<String> notFound = get("/nope");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertNoStackTrace(notFound);

    HttpResponse<String> wrongMethod = send(request("/readyz").POST(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
    assertNoStackTrace(wrongMethod);
    assertThat(get("/loglevel").statusCode()).isEqualTo(405);

    // An oversized body is refused from its declared length. Sent over a raw socket: the server
    // answers 413 and closes without reading the body, and an HTTP client still writing that body
    // may see the close before the answer (a CI run failed so: "header parser received no bytes").
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", service.adminAddress().getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /loglevel HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: 20000\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(
          socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("HTTP/1.1 413");
      StringBuilder rest = new StringBuilder();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        rest.append(line).append('\n'); // until the server closes
      }
      assertThat(rest.toString()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(".java:");
    }

    HttpResponse<String> longUri = get("/readyz?x=" + "a".repeat(3000));
    assertThat(longUri.statusCode()).isEqualTo(414);

    HttpResponse<String> badJson = send(request("/loglevel").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{not json")));
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertNoStackTrace(badJson);

    HttpResponse<String> badLevel = send(request("/loglevel").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"logger\":\"a.b\",\"level\":\"LOUD\"}")));
    assertThat(badLevel.statusCode()).isEqualTo(400);
    assertThat(badLevel.body()).contains("'level'").contains("LOUD");

    // Security report D15: a TTL that overflows, or outlives a day, is a 400 and changes nothing.
    for (String ttl : new String[] {"9223372036854775807h", "99999999999999999999s", "25h", "P400D"}) {
      HttpResponse<String> overflow = send(request("/loglevel?logger=d15.overflow&level=DEBUG&ttl=" + ttl)
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(overflow.statusCode()).as("ttl=%s", ttl).isEqualTo(400);
      assertThat(overflow.body()).contains("ttl");
      assertNoStackTrace(overflow);
    }
    assertThat(((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("d15.overflow")).getLevel()).isNull();
    HttpResponse<String> badTtl = send(request("/loglevel?logger=a.b&level=DEBUG&ttl=forever").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(badTtl.statusCode()).isEqualTo(400);
    assertThat(badTtl.body()).contains("'ttl'");

    HttpResponse<String> noLogger = send(request("/loglevel?level=DEBUG").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(noLogger.statusCode()).isEqualTo(400);
    assertThat(noLogger.body()).contains("'logger'");
  }

  @Test
  void loglevel_isRefusedByDefault_andCrossSiteMutationsAreRefused() throws Exception {
    String logger = "dev.pave.core.test.closed";
    Config config = Config.builder()
        .environment(java.util.Map.of())
        .override("admin.host", "127.0.0.1")
        .override("admin.port", "0")
        .override("lifecycle.drain-delay", "0ms")
        .build();
    service = Pave.service("admin-closed").config(config).start(svc -> {});
    HttpResponse<String> refused = send(request("/loglevel").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"logger\":\"" + logger + "\",\"level\":\"DEBUG\"}")));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("admin.loglevel.enabled=true");
    assertThat(((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).getLevel()).isNull();

    // A page on another site cannot make a browser drain the pod; the kubelet (no Origin) can.
    HttpResponse<String> crossSite = send(request("/prestop").header("Origin", "http://evil.example"));
    assertThat(crossSite.statusCode()).isEqualTo(403);
    HttpResponse<String> fetchedCrossSite = send(request("/prestop").header("Sec-Fetch-Site", "cross-site"));
    assertThat(fetchedCrossSite.statusCode()).isEqualTo(403);
    assertThat(service.context().lifecycle().state()).isEqualTo(LifecycleState.READY);
    assertThat(get("/prestop").statusCode()).isEqualTo(200);
    assertThat(service.context().lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
  }

  @Test
  void prestopWithoutSigterm_returnsToReadyAfterTheGracePeriod() throws Exception {
    Config config = Config.builder()
        .environment(java.util.Map.of())
        .override("admin.host", "127.0.0.1")
        .override("admin.port", "0")
        .override("lifecycle.drain-delay", "100ms")
        .override("lifecycle.shutdown-timeout", "1s")
        .override("lifecycle.telemetry-flush-timeout", "500ms")
        .override("lifecycle.termination-grace-period", "2s")
        .build();
    service = Pave.service("stray-prestop").config(config).start(svc -> {});
    assertThat(get("/prestop").statusCode()).isEqualTo(200); // a stray GET, no SIGTERM after it
    assertThat(service.context().lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);

    // Security report D4: before, the pod stayed out of rotation for good with liveness green.
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> service.context().lifecycle().state() == LifecycleState.READY);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    // ...and a real termination afterwards still drains and stops.
    service.stop();
    assertThat(service.context().lifecycle().state()).isEqualTo(LifecycleState.STOPPED);
  }

  @Test
  void loglevel_onlyChangesExistingLoggers_andEveryChangeLeavesAnAuditLineNoLevelCanSuppress()
      throws Exception {
    start(false, svc -> {});
    // D3: a long dotted name of loggers that do not exist creates none and changes nothing.
    String flood = "z" + ".a".repeat(4_000);
    HttpResponse<String> tooLong = send(request("/loglevel").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"logger\":\"" + flood + "\",\"level\":\"INFO\"}")));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = send(request("/loglevel?logger=no.such.logger.d3&level=DEBUG")
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("no logger named 'no.such.logger.d3'");
    assertThat(((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory())
        .exists("no.such.logger.d3")).isNull();

    // D6: ROOT=OFF is recorded (who, what) by a line the change itself cannot suppress.
    try (dev.pave.logging.LogCapture capture = dev.pave.logging.PaveLogging.capture()) {
      HttpResponse<String> off = send(request("/loglevel?logger=ROOT&level=OFF").POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(off.statusCode()).isEqualTo(200);
      LoggerFactory.getLogger("dev.pave.audit").warn("after ROOT=OFF");
      assertThat(capture.lines())
          .anySatisfy(line -> assertThat(line).contains("\"log.level\":\"WARN\"")
              .contains("log level of 'ROOT' set to OFF by POST /loglevel from 127.0.0.1:"))
          .anySatisfy(line -> assertThat(line).contains("after ROOT=OFF"));
    } finally {
      send(request("/loglevel?logger=ROOT&level=").POST(HttpRequest.BodyPublishers.noBody()));
    }
    HttpResponse<String> audit = send(request("/loglevel?logger=dev.pave.audit&level=OFF")
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(audit.statusCode()).isEqualTo(400);
  }

  @Test
  void loglevel_changesALevelAtRuntime() throws Exception {
    start(false, svc -> {});
    String logger = "dev.pave.core.test.loglevel";
    LoggerFactory.getLogger(logger);
    HttpResponse<String> response = send(request("/loglevel").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"logger\":\"" + logger + "\",\"level\":\"TRACE\",\"ttl\":\"5m\"}")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json.readTree(response.body()).get("ttl").asText()).isEqualTo("PT5M");
    assertThat(LoggerFactory.getLogger(logger).isTraceEnabled()).isTrue();

    HttpResponse<String> reset = send(request("/loglevel?logger=" + logger + "&level=").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(LoggerFactory.getLogger(logger).isTraceEnabled()).isFalse();
  }

  @Test
  void aServicesOwnRoute_isServedBesidePavesOnes_getOnly_andAFailureSaysNothing() throws Exception {
    // Design review A3: svc.admin().route(path, handler), one row of the admin server's table.
    start(false, svc -> {
      svc.admin().route("/cachez", query -> AdminReply.json(java.util.Map.of("entries", 42, "region", query.getOrDefault("region", "all"))));
      svc.admin().route("/broken", query -> {
        throw new IllegalStateException("secret-detail-in-exception");
      });
    });

    HttpResponse<String> cache = get("/cachez?region=eu");
    assertThat(cache.statusCode()).isEqualTo(200);
    assertThat(cache.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(cache.body()).contains("\"entries\":42").contains("\"region\":\"eu\"");
    HttpResponse<String> post = send(request("/cachez")
        .POST(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET");
    HttpResponse<String> broken = get("/broken");
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(broken.body()).doesNotContain("secret-detail").doesNotContain("IllegalStateException");
    assertThat(get("/livez").statusCode()).isEqualTo(200); // Pave's own routes unchanged
  }

  @Test
  void aRouteThatIsTakenOrMalformed_failsStartupNamingIt() {
    for (String path : java.util.List.of("/metrics", "cachez", "/a b", "/../etc")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(false, svc -> svc.admin().route(path, q -> AdminReply.text("x"))))
          .as(path)
          .isInstanceOf(PaveStartupException.class)
          .hasMessageContaining("admin route");
    }
  }

  @Test
  void info_reportsServiceVersionPaveVersionStateAndGitCommit() throws Exception {
    start(false, svc -> {});
    HttpResponse<String> response = get("/info");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode info = json.readTree(response.body());
    assertThat(info.at("/service/name").asText()).isEqualTo("admin-test");
    assertThat(info.at("/service/version").asText()).isEqualTo("1.2.3");
    assertThat(info.at("/pave/version").asText()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(info.get("state").asText()).isEqualTo("READY");
    assertThat(info.has("startTime")).isTrue();
    assertThat(info.get("uptimeSeconds").asDouble()).isGreaterThanOrEqualTo(0);
    // from git.properties on the classpath (src/test/resources), as git-commit-id-maven-plugin writes it
    assertThat(info.at("/git/commit").asText()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
  }

  @Test
  void serviceName_fromConfiguration_isTheOneIdentityOfInfoAndTheServiceContext() throws Exception {
    var seen = new java.util.concurrent.atomic.AtomicReference<String>();
    start(false, java.util.Map.of("SERVICE_NAME", "inv2"), svc -> seen.set(svc.serviceName()));
    JsonNode info = json.readTree(get("/info").body());
    assertThat(info.at("/service/name").asText()).isEqualTo("inv2");
    assertThat(seen.get()).isEqualTo("inv2");
  }

  @Test
  void otelServiceName_namesTheServiceEverywhere_andAConflictWithServiceNameFailsStartup() throws Exception {
    // Noticed in stop 21: OTEL_SERVICE_NAME renamed the traces only; logs and /info kept another name.
    var seen = new java.util.concurrent.atomic.AtomicReference<String>();
    try (dev.pave.logging.LogCapture capture = dev.pave.logging.PaveLogging.capture()) {
      start(false, java.util.Map.of("OTEL_SERVICE_NAME", "billing"), svc -> seen.set(svc.serviceName()));
      assertThat(seen.get()).isEqualTo("billing");
      assertThat(json.readTree(get("/info").body()).at("/service/name").asText()).isEqualTo("billing");
      assertThat(capture.lines()).filteredOn(line -> line.contains("READY in"))
          .singleElement().asString().contains("\"service.name\":\"billing\"");
    }
    service.stop();
    service = null;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(false,
            java.util.Map.of("OTEL_SERVICE_NAME", "billing", "SERVICE_NAME", "invoices"), svc -> {}))
        .isInstanceOf(PaveStartupException.class)
        .hasMessageContaining("otel.service.name [env OTEL_SERVICE_NAME]")
        .hasMessageContaining("service.name (env SERVICE_NAME) is 'invoices'");
  }

  @Test
  void misspelledPaveKeysFromEverySource_failStartupAllAtOnceWithTheClosestKey() {
    Config config = Config.builder()
        .environment(java.util.Map.of("LIFECYCLE_DRAIN_DEALY", "1s", "ADMIN_SERVICE_HOST", "10.0.0.7"))
        .systemProperties(java.util.Map.of("health.check-intervall", "1s"))
        .override("admin.port", "0")
        .override("admin.host", "127.0.0.1")
        .override("logging.formt", "text")
        .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pave.service("typos").config(config).start(svc -> {}))
        .hasStackTraceContaining("LIFECYCLE_DRAIN_DEALY")
        .hasStackTraceContaining("did you mean lifecycle.drain-delay (env LIFECYCLE_DRAIN_DELAY)?")
        .hasStackTraceContaining("health.check-intervall")
        .hasStackTraceContaining("did you mean health.check-interval")
        .hasStackTraceContaining("logging.formt [override]")
        .satisfies(e -> assertThat(e.toString() + e.getCause()).doesNotContain("ADMIN_SERVICE_HOST"));
  }

  @Test
  void config_isHiddenByDefault() throws Exception {
    start(false, svc -> {});
    assertThat(get("/config").statusCode()).isEqualTo(404);
  }

  @Test
  void config_whenExposed_showsProvenanceAndMasksSecrets() throws Exception {
    start(true, svc -> svc.config().secret("db.password"));
    HttpResponse<String> response = get("/config");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("hunter2-secret-value");
    JsonNode entries = json.readTree(response.body()).get("entries");
    JsonNode version = null;
    JsonNode password = null;
    for (JsonNode entry : entries) {
      if (entry.get("key").asText().equals("service.version")) {
        version = entry;
      }
      if (entry.get("key").asText().equals("db.password")) {
        password = entry;
      }
    }
    assertThat(password).as("the secret read in setup is listed").isNotNull();
    assertThat(password.get("value").asText()).isEqualTo("******");
    assertThat(password.get("secret").asBoolean()).isTrue();
    assertThat(version).isNotNull();
    assertThat(version.get("value").asText()).isEqualTo("1.2.3");
    assertThat(version.get("source").asText()).isEqualTo("override");
  }

  @Test
  void metrics_parseWithPromtoolAndCoverJvmProcessLifecycleHealthAndLogging() throws Exception {
    start(false, svc -> svc.health().readiness("db", () -> HealthCheck.Result.healthy()));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> get("/readyz").statusCode() == 200);
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    String body = response.body();
    assertThat(body)
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads")
        .contains("jvm_classes_loaded_classes")
        .contains("process_cpu_usage")
        .contains("process_uptime_seconds")
        .contains("process_files_open_files")
        .contains("pave_lifecycle_state{state=\"READY\"} 1.0")
        .contains("pave_lifecycle_state{state=\"DRAINING\"} 0.0")
        .contains("pave_health_check_status{check=\"db\",kind=\"readiness\"} 1.0")
        .contains("pave_logging_dropped_events_total")
        .contains("pave_uncaught_exceptions_total");
    dev.pave.testsupport.Promtool.assertValidMetrics(body);
  }

  @Test
  void metrics_withOpenMetricsAccept_answerOpenMetrics() throws Exception {
    start(false, svc -> {});
    HttpResponse<String> response = send(request("/metrics").header("Accept", "application/openmetrics-text; version=1.0.0"));
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
    assertThat(response.body()).endsWith("# EOF\n");
  }

  @Test
  void duringStopping_livezAndMetricsStillAnswer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(false, svc -> svc.register(new LifecycleComponent() {
      @Override
      public void start() {}

      @Override
      public void stop(Duration timeout) throws InterruptedException {
        release.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    }));
    RunningService running = service;
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(running::stop);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> running.state() == LifecycleState.STOPPING);
      assertThat(get("/livez").statusCode()).isEqualTo(200);
      assertThat(get("/readyz").statusCode()).isEqualTo(503);
      HttpResponse<String> metrics = get("/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("pave_lifecycle_state{state=\"STOPPING\"} 1.0");
    } finally {
      release.countDown();
    }
    stopping.get(10, TimeUnit.SECONDS);
    assertThat(running.state()).isEqualTo(LifecycleState.STOPPED);
    service = null;
  }
}
