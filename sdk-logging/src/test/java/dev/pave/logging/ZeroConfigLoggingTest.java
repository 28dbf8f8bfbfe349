package dev.pave.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process-level: a real JVM with only sdk-logging on the classpath and no logback.xml. */
class ZeroConfigLoggingTest {

  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void everyEventIsOneJsonLineWithTheDocumentedSchema() throws Exception {
    ChildJvm child = ChildJvm.start(dir,
        List.of("-Dservice.name=payments", "-Dservice.version=1.4.2", "-Ddeployment.environment=staging"),
        Map.of("POD_NAME", "payments-7d9f-abcde", "POD_NAMESPACE", "shop"), null, "schema");
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();

    List<JsonNode> lines = child.jsonLines();
    assertThat(lines).hasSize(3);
    JsonNode traced = lines.get(0);
    assertThat(traced.get("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(traced.get("log.level").asText()).isEqualTo("INFO");
    assertThat(traced.get("message").asText()).isEqualTo("authorized order 42 for acme");
    assertThat(traced.get("log.logger").asText()).isEqualTo("com.example.payments.PaymentService");
    assertThat(traced.get("thread.name").asText()).isEqualTo("main");
    assertThat(traced.get("service.name").asText()).isEqualTo("payments");
    assertThat(traced.get("service.version").asText()).isEqualTo("1.4.2");
    assertThat(traced.get("deployment.environment.name").asText()).isEqualTo("staging");
    assertThat(traced.get("k8s.pod.name").asText()).isEqualTo("payments-7d9f-abcde");
    assertThat(traced.get("k8s.namespace.name").asText()).isEqualTo("shop");
    // Captured on the logging thread although the line is written by the async worker.
    assertThat(traced.get("trace_id").asText()).isEqualTo(LoggingChild.TRACE_ID);
    assertThat(traced.get("span_id").asText()).isEqualTo(LoggingChild.SPAN_ID);
    assertThat(traced.get("trace_flags").asText()).isEqualTo("01");
    // MDC and key-values are top-level fields with their JSON types...
    assertThat(traced.get("request.id").asText()).isEqualTo("req-7");
    assertThat(traced.get("tenant").asText()).isEqualTo("acme");
    assertThat(traced.get("order.id").isIntegralNumber()).isTrue();
    assertThat(traced.get("order.id").asLong()).isEqualTo(42);
    assertThat(traced.get("amount").asDouble()).isEqualTo(12.5);
    assertThat(traced.get("approved").isBoolean()).isTrue();
    // ...and never overwrite a standard field.
    assertThat(traced.get("mdc.message").asText()).isEqualTo("an MDC entry named like a standard field");
    assertThat(traced.get("kv.log.level").asText()).isEqualTo("a key-value named like a standard field");

    assertThat(lines.get(1).has("trace_id")).isFalse();

    JsonNode failure = lines.get(2);
    assertThat(failure.get("log.level").asText()).isEqualTo("ERROR");
    assertThat(failure.get("exception.type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(failure.get("exception.message").asText()).isEqualTo("gateway said no");
    String stack = failure.get("exception.stacktrace").asText();
    assertThat(stack).startsWith("java.io.IOException: connection reset"); // root cause first
    assertThat(stack).contains("Wrapped by: java.lang.IllegalStateException: gateway said no");
    assertThat(stack).contains("at dev.pave.logging.LoggingChild.schema");
  }

  @Test
  void hostileMessagesStillGiveOneValidJsonObjectPerLine() throws Exception {
    ChildJvm child = ChildJvm.start(dir, List.of(), Map.of(), null, "hostile");
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();

    List<JsonNode> lines = child.jsonLines(); // parses every line with Jackson
    assertThat(lines).hasSize(9);
    assertThat(lines.get(0).get("message").asText()).isEqualTo("line one\nline two\r\nline three");
    assertThat(lines.get(1).get("message").asText()).isEqualTo("quotes \" and \\ backslash and \"\"quoted\"\"");
    assertThat(lines.get(2).get("message").asText()).startsWith("controls \u0000\u0001")
        .endsWith("sep \u2028 \u2029 nel \u0085 bidi \u202eevil\u202c \u2066x\u2069");
    // ...and on the line itself, the separators and bidirectional controls are escapes, not raw
    // characters a terminal or a line-oriented tool would act on (security report D18).
    String raw = child.lines().get(2);
    assertThat(raw).contains("\\u2028", "\\u2029", "\\u0085", "\\u202e", "\\u202c", "\\u2066", "\\u2069")
        .doesNotContain("\u2028", "\u2029", "\u0085", "\u202e", "\u202c", "\u2066", "\u2069");
    assertThat(lines.get(3).get("message").asText()).contains("pair \uD83D\uDE00");
    assertThat(lines.get(4).get("bad\nkey\"").asText()).isEqualTo("bad\nvalue\u0000\uD800");
    // A 1 MiB message is one valid line, cut to logging.field.max-length (security report D14).
    assertThat(lines.get(5).get("message").asText())
        .isEqualTo("x".repeat(8192) + "... (" + (1024 * 1024 - 8192) + " characters cut)");
    assertThat(lines.get(6).get("message").asText()).isEqualTo("null");
    assertThat(lines.get(7).get("message").asText()).isEmpty();
    JsonNode forged = lines.get(8);
    assertThat(forged.get("log.level").asText()).isEqualTo("INFO");
    assertThat(forged.get("message").asText()).isEqualTo("json-looking {\"message\":\"forged\",\"log.level\":\"ERROR\"}");
  }

  @Test
  void sigtermAfterOneHundredThousandEventsLosesNone() throws Exception {
    int events = 100_000;
    // A queue deeper than the burst: this test is about shutdown, not about the overflow policy.
    ChildJvm child = ChildJvm.start(dir, List.of("-Dlogging.async.queue-size=131072", "-Dlogging.shutdown.timeout=30s"),
        Map.of(), null, "flood-then-wait", String.valueOf(events));
    await().atMost(EXIT).until(() -> child.stderr().contains(LoggingChild.READY));
    child.process.destroy(); // SIGTERM
    assertThat(child.awaitExit(EXIT)).isEqualTo(143);

    assertAllSequenceNumbersPresent(child.jsonLines(), events);
  }

  @Test
  void aPlatformsFieldContributor_addsItsFieldsToEveryLine_inBothFormats_butNeverReplacesPavesOwn() throws Exception {
    // Design review A7: a library on the class path adds fields (TestFieldContributor, listed in
    // META-INF/services), with no change to the service.
    for (String format : List.of("json", "text")) {
      ChildJvm child = ChildJvm.start(dir, List.of("-Dpave.test.log-fields=true", "-Dservice.name=payments",
          "-Dlogging.format=" + format), Map.of(), null, "schema");
      assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();
      assertThat(child.stderr()).contains("pave-logging: log field 'message' of dev.pave.logging.TestFieldContributor"
          + " left out: one of Pave's own fields");
      assertThat(child.stdoutText()).doesNotContain("plaintext-contributed-token")
          .doesNotContain("a contributor may not replace");
      if (format.equals("json")) {
        for (JsonNode line : child.jsonLines()) {
          assertThat(line.get("cloud.region").asText()).isEqualTo("eu-west-1");
          assertThat(line.get("platform.owner").asText()).isEqualTo("team-payments");
          assertThat(line.get("platform.note").asText()).isEqualTo("token=******");
        }
      } else {
        // Every event line (a stack trace's own lines follow its event's line).
        assertThat(child.lines().stream().filter(line -> !line.startsWith("\t")).toList()).isNotEmpty()
            .allSatisfy(line -> assertThat(line).contains("cloud.region=eu-west-1").contains("platform.owner=team-payments"));
      }
    }
  }

  @Test
  void normalExitAfterOneHundredThousandWarningsThroughASmallQueueLosesNone() throws Exception {
    int events = 100_000;
    // WARN is not dropped while stdout is read: with 256 slots the producer waits for the writer
    // instead (the wait is bounded by logging.async.warn-wait, set long here so that a CI pause of
    // the reader cannot drop one).
    ChildJvm child = ChildJvm.start(dir, List.of("-Dlogging.async.queue-size=256", "-Dlogging.async.warn-wait=60s"), Map.of(), null,
        "flood-warn-then-exit", String.valueOf(events));
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();

    List<JsonNode> lines = child.jsonLines();
    assertAllSequenceNumbersPresent(lines, events);
    assertThat(lines).noneMatch(line -> line.get("message").asText().contains("dropped"));
  }

  @Test
  void aStdoutNobodyReads_parksNoWarningForeverAndDoesNotHoldTheShutdown() throws Exception {
    // Security report D5: WARN lines waited for room without a bound, so with a blocked stdout the
    // logging thread parked forever and SIGTERM never completed (the shutdown's own WARN waited).
    // INFO lines fill the pipe and the queue, then WARN lines each wait 200 ms and are dropped.
    ChildJvm child = ChildJvm.startWithUnreadStdout(dir,
        List.of("-Dlogging.async.queue-size=64", "-Dlogging.async.warn-wait=200ms", "-Dlogging.shutdown.timeout=1s"),
        "flood-then-warn-then-wait", "5000", "5");
    await().atMost(EXIT).until(() -> child.stderr().contains(LoggingChild.READY));
    child.process.destroy(); // SIGTERM
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isEqualTo(143);
  }

  @Test
  void aStdoutThatFailsEveryWrite_losesLinesCounted_andSaysSoOnStderr() throws Exception {
    // Security report D11: with stdout on /dev/full every line was lost, the dropped counter
    // stayed 0 and nothing was said (System.out swallows write errors).
    java.io.File devFull = new java.io.File("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(devFull.exists(), "needs /dev/full (Linux)");
    ChildJvm child = ChildJvm.startWithStdoutTo(dir, devFull, "process-stdout-flood", "500");
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();

    assertThat(child.stderr())
        .containsOnlyOnce("pave-logging: writing log lines to stdout failed (No space left on device)")
        .contains("dropped=500");
  }

  @Test
  void overflowingInfoEventsAreEitherWrittenOrCountedAndTheCountIsLoggedAtShutdown() throws Exception {
    int events = 20_000;
    // One slot, and a stdout that blocks until the shutdown waits: the writer holds one event, the
    // slot another, the rest are dropped whatever the machine's speed. The count line, a WARN, then
    // finds the queue full: it waits for room, since dropping it would hide the loss it reports.
    ChildJvm child = ChildJvm.start(dir,
        List.of("-Dlogging.async.queue-size=1", "-Dlogging.async.warn-wait=60s", "-Dlogging.shutdown.timeout=60s"),
        Map.of(), null, "flood-info-stdout-stalled-then-exit", String.valueOf(events));
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();

    List<JsonNode> lines = child.jsonLines();
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.get("log.level").asText()).isEqualTo("WARN");
    assertThat(last.get("log.logger").asText()).isEqualTo("dev.pave.logging");
    String message = last.get("message").asText();
    assertThat(message).matches("\\d+ log events were dropped because the log queue was full \\(.*\\)");
    long dropped = Long.parseLong(message.substring(0, message.indexOf(' ')));
    long written = lines.stream().filter(line -> line.has("seq")).count();
    assertThat(dropped).isPositive();
    assertThat(written + dropped).isEqualTo(events);
  }

  @Test
  void aCardNumberLoggedAsANumber_isRedacted_otherNumbersStayNumbers() throws Exception {
    // Security report D7: addKeyValue("card.number", 4111111111111111L) (also BigInteger, Double)
    // was written in clear in JSON.
    ChildJvm json = ChildJvm.start(dir, List.of(), Map.of(), null, "pan-numbers");
    assertThat(json.awaitExit(EXIT)).as(json.stderr()).isZero();
    JsonNode line = json.jsonLines().get(0);
    assertThat(line.get("as.long").asText()).endsWith("1111").doesNotContain("41111111");
    assertThat(line.get("as.bigint").asText()).endsWith("0004").doesNotContain("55000000");
    assertThat(line.get("as.double").asText()).endsWith("1111").doesNotContain("41111111");
    assertThat(line.get("order.id").isNumber()).isTrue();
    assertThat(line.get("epoch.millis").isNumber()).as("not a card number (fails Luhn)").isTrue();
    ChildJvm text = ChildJvm.start(dir, List.of("-Dlogging.format=text"), Map.of(), null, "pan-numbers");
    assertThat(text.awaitExit(EXIT)).as(text.stderr()).isZero();
    assertThat(text.stdoutText()).doesNotContain("4111111111111111", "5500000000000004", "4.111111111111111E15");
  }

  @Test
  void aCardNumberCrossingTheStackTraceCap_isRedactedBeforeTheCut() throws Exception {
    // Security report D7: the stack trace was cut before redaction, so it could end with the first
    // 15 digits of a card number, which no rule recognises.
    for (String format : List.of("json", "text")) {
      ChildJvm child = ChildJvm.start(dir, List.of("-Dlogging.exception.max-length=256", "-Dlogging.format=" + format),
          Map.of(), null, "pan-at-cap");
      assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();
      String output = child.stdoutText();
      assertThat(output).as(format).contains("cut at 256 characters").doesNotContain("4111111").doesNotContain("1111111");
    }
  }

  @Test
  void clientSuppliedTextIsCutInEveryField_inBothFormats() throws Exception {
    // Security report D14: a 4 MB reference logged as a key-value made a 4 MB line.
    ChildJvm json = ChildJvm.start(dir, List.of(), Map.of(), null, "client-input");
    assertThat(json.awaitExit(EXIT)).as(json.stderr()).isZero();
    List<JsonNode> lines = json.jsonLines();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).get("payment.reference").asText())
        .startsWith("rrrr").endsWith("... (" + (4 * 1024 * 1024 - 8192) + " characters cut)");
    assertThat(lines.get(0).get("message").asText()).endsWith("... (" + (100_012 - 8192) + " characters cut)");
    assertThat(lines.get(1).get("exception.message").asText()).endsWith(" characters cut)").hasSizeLessThan(8300);
    assertThat(lines.get(2).get("tenant").asText()).endsWith(" characters cut)").hasSizeLessThan(8300);
    assertThat(json.lines()).allSatisfy(line -> assertThat(line.length()).isLessThan(64 * 1024));

    ChildJvm text = ChildJvm.start(dir, List.of("-Dlogging.format=text", "-Dlogging.field.max-length=1000"), Map.of(),
        null, "client-input");
    assertThat(text.awaitExit(EXIT)).as(text.stderr()).isZero();
    assertThat(text.lines()).isNotEmpty().allSatisfy(line -> assertThat(line.length()).isLessThan(64 * 1024));
    assertThat(text.lines().get(0)).contains("characters cut)");
  }

  @Test
  void textFormatGivesOneReadableLinePerEvent() throws Exception {
    ChildJvm child = ChildJvm.start(dir, List.of("-Dlogging.format=text", "-Dservice.name=payments"), Map.of(), null, "schema");
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();

    List<String> lines = child.lines();
    assertThat(lines.get(0))
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[main\\] com\\.example\\.payments\\.PaymentService - authorized order 42 for acme .*")
        .contains(" request.id=req-7", " order.id=42", " kv.log.level=\"a key-value named like a standard field\"",
            " trace_id=" + LoggingChild.TRACE_ID, " span_id=" + LoggingChild.SPAN_ID, " service.name=payments");
    assertThat(lines.get(2)).contains("ERROR", "payment failed", "exception.type=java.lang.IllegalStateException");
    assertThat(lines.get(3)).startsWith("\tjava.io.IOException: connection reset");
  }

  @Test
  void levelsComeFromConfiguration() throws Exception {
    // A dotted logger name as a system property: an environment variable cannot spell it (issue 11).
    ChildJvm child = ChildJvm.start(dir, List.of("-Dlogging.level.com.example.payments=DEBUG"), Map.of(), null, "levels");
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();

    assertThat(child.jsonLines()).extracting(line -> line.get("message").asText())
        .containsExactly("payments debug visible", "other info visible");
  }

  @Test
  void javaUtilLoggingAndCommonsLoggingAreBridged() throws Exception {
    ChildJvm child = ChildJvm.start(dir, List.of(), Map.of(), null, "bridges");
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();

    List<JsonNode> lines = child.jsonLines();
    assertThat(lines).extracting(line -> line.get("log.logger").asText() + ": " + line.get("message").asText())
        .containsExactly("legacy.jul: from java.util.logging", "legacy.jcl: from commons-logging");
    assertThat(child.stderr()).doesNotContain("from java.util.logging"); // JUL's console handler is gone
  }

  @Test
  void invalidConfigurationStillLogsAndSaysWhatIsWrong() throws Exception {
    ChildJvm child = ChildJvm.start(dir, List.of("-Dlogging.format=xml", "-Dlogging.async.queue-size=-1"), Map.of(), null, "levels");
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();

    List<JsonNode> lines = child.jsonLines();
    assertThat(lines.get(0).get("log.level").asText()).isEqualTo("ERROR");
    assertThat(lines.get(0).get("message").asText())
        .contains("logging.format", "expected one of JSON, TEXT", "got 'xml'", "logging.async.queue-size", "at least 1");
    assertThat(lines).extracting(line -> line.get("message").asText()).contains("other info visible");
  }

  @Test
  void ownLogbackXmlIncludingBaseXmlKeepsPaveOutputAndConfiguredLevels() throws Exception {
    Path resources = Files.createDirectories(dir.resolve("own-config"));
    Files.writeString(resources.resolve("logback.xml"), """
        <configuration>
          <include resource="dev/pave/logging/base.xml"/>
          <logger name="com.example.payments" level="WARN"/>
          <logger name="com.example.other" level="ERROR"/>
        </configuration>
        """);
    ChildJvm child = ChildJvm.start(dir, List.of("-Dservice.name=payments", "-Dlogging.level.com.example.payments=DEBUG"),
        Map.of(), resources.toString(), "levels");
    assertThat(child.awaitExit(EXIT)).as(child.stderr()).isZero();

    List<JsonNode> lines = child.jsonLines();
    // The configuration key wins over the file for com.example.payments; the file's ERROR stays for other.
    assertThat(lines).extracting(line -> line.get("message").asText()).containsExactly("payments debug visible");
    assertThat(lines.get(0).get("service.name").asText()).isEqualTo("payments");
  }

  private static void assertAllSequenceNumbersPresent(List<JsonNode> lines, int events) {
    Set<Long> seen = new HashSet<>();
    for (JsonNode line : lines) {
      if (line.has("seq")) {
        seen.add(line.get("seq").asLong());
      }
    }
    assertThat(seen).hasSize(events);
    assertThat(lines.stream().filter(line -> line.has("seq"))).hasSize(events);
  }
}
