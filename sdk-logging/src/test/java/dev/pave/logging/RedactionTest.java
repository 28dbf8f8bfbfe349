package dev.pave.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process-level: each kind of secret logged by a real JVM, in both formats, reaches no output. */
class RedactionTest {

  private static final List<String> PLAINTEXT = List.of(
      "s3cr3t-value-1", "s3cr3t-value-2", "plaintext-bearer", "plaintext-password-1", "plaintext-password-2",
      "plaintext secret 3", "plaintext-api-key", "4111 1111 1111", "5500-0000-0000", "424242424242",
      "plaintext-url-password", "123-45-6789", "plaintext-mdc-basic", "plaintext-mdc-token", "plaintext-session",
      "plaintext-kv-pwd", "plaintext-exception-password", "plaintext-exception-token");

  @TempDir Path dir;

  @Test
  void noPlaintextSecretReachesJsonOutput() throws Exception {
    ChildJvm child = run("json");
    String output = child.stdoutText() + child.stderr();
    assertThat(PLAINTEXT).allSatisfy(secret -> assertThat(output).doesNotContain(secret));

    List<JsonNode> lines = child.jsonLines();
    assertThat(lines.get(0).get("message").asText()).isEqualTo("connecting with ******");
    assertThat(lines.get(1).get("db.credential").asText()).isEqualTo("******");
    assertThat(lines.get(2).get("anything").asText()).isEqualTo("******");
    assertThat(lines.get(3).get("message").asText()).isEqualTo("request headers: Authorization: Bearer ******");
    assertThat(lines.get(5).get("message").asText()).isEqualTo("login user=alice password=******"); // to the end of the line (docs/logging.md)
    assertThat(lines.get(6).get("message").asText()).isEqualTo("config {\"password\":\"******\", \"user\":\"bob\"}");
    // Card numbers keep their last four digits and shape.
    assertThat(lines.get(8).get("message").asText())
        .isEqualTo("card **** **** **** 1111 and ****-****-****-0004 and ************4242");
    // Digits that fail the Luhn check, and epoch millis, are left alone.
    assertThat(lines.get(9).get("message").asText()).contains("4111111111111112", "1732700000000");
    assertThat(lines.get(10).get("message").asText()).isEqualTo("connecting to postgres://app:******@db:5432/pay");
    // The extra pattern from logging.redact.patterns masks its group.
    assertThat(lines.get(11).get("message").asText()).isEqualTo("customer ssn ******");
    JsonNode fields = lines.get(12);
    assertThat(fields.get("authorization").asText()).isEqualTo("******");
    assertThat(fields.get("note").asText()).isEqualTo("token=******");
    assertThat(fields.get("session_id").asText()).isEqualTo("******");
    assertThat(fields.get("comment").asText()).isEqualTo("pwd: ******");
    JsonNode failure = lines.get(13);
    assertThat(failure.get("exception.message").asText()).isEqualTo("token=******"); // to the end of the line (docs/logging.md)
  }

  @Test
  void noPlaintextSecretReachesTextOutput() throws Exception {
    ChildJvm child = run("text");
    String output = child.stdoutText() + child.stderr();
    assertThat(child.lines()).hasSizeGreaterThan(14);
    assertThat(PLAINTEXT).allSatisfy(secret -> assertThat(output).doesNotContain(secret));
  }

  @Test
  void noReportTableInputReachesEitherFormat() throws Exception {
    // Issue 16, item 1: the security report's redaction table (ReportTable), each row logged as a
    // message and as a key-value by a real JVM, in JSON and in text. Open rows are listed there.
    for (String format : List.of("json", "text")) {
      ChildJvm child = ChildJvm.start(dir, List.of("-Dlogging.format=" + format), Map.of(), null, "report-table");
      assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.stderr()).isZero();
      String output = child.stdoutText() + child.stderr();
      int checked = 0;
      for (ReportTable.Row row : ReportTable.ROWS) {
        if (row.open() == null) {
          assertThat(output).as("%s %s", format, row.id())
              .doesNotContain(row.plaintext()).doesNotContain(row.plaintext().replace("\t", "\\t"));
          checked++;
        }
      }
      System.out.println("report table, " + format + ": " + checked + " rows redacted, "
          + (ReportTable.ROWS.size() - checked) + " open");
    }
  }

  @Test
  void noGeneratedSecretReachesEitherFormat() throws Exception {
    // Issue 16, item 1: generated card numbers and credential pairs (GeneratedSecrets), each logged
    // as a message, a key-value and an exception message by a real JVM, in JSON and in text.
    long seed = 42;
    int count = 300;
    List<GeneratedSecrets.Case> cases = GeneratedSecrets.cases(seed, count);
    for (String format : List.of("json", "text")) {
      ChildJvm child = ChildJvm.start(dir, List.of("-Dlogging.format=" + format), Map.of(), null,
          "generated", String.valueOf(seed), String.valueOf(count));
      assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.stderr()).isZero();
      // The text format escapes tabs as \t; JSON escapes them too: compare with both forms.
      String output = child.stdoutText() + child.stderr();
      assertThat(child.lines()).as(format).hasSizeGreaterThanOrEqualTo(3 * count);
      for (GeneratedSecrets.Case c : cases) {
        assertThat(output).as("%s: %s", format, c.message())
            .doesNotContain(c.plaintext()).doesNotContain(c.plaintext().replace("\t", "\\t"));
      }
    }
    System.out.println("redaction property, as deployed: " + count + " generated cases x 3 ways x 2 formats, 0 plaintext");
  }

  private ChildJvm run(String format) throws Exception {
    ChildJvm child = ChildJvm.start(dir, List.of("-Dlogging.format=" + format,
        "-Dlogging.redact.patterns=ssn (\\d{3}-\\d{2}-\\d{4})"), Map.of(), null, "redaction");
    assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.stderr()).isZero();
    return child;
  }
}
