package dev.pave.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.logging.ReportTable;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The security report's redaction table, one case per row (issue 16, item 1). A row still open
 * is reported as skipped with its reason, and fails if it starts passing, so that it moves to the
 * redacted rows. {@code RedactionTest.noReportTableInputReachesEitherFormat} runs the same rows
 * through a real JVM in JSON and text.
 */
class ReportTableTest {

  private static final Redactor REDACTOR = Redactor.create(List.of());

  static final List<ReportTable.Row> ROWS = ReportTable.ROWS;

  @ParameterizedTest(name = "{0}")
  @FieldSource("ROWS")
  void theRowsPlaintextNeverSurvives(ReportTable.Row row) {
    assertThat(row.input()).contains(row.plaintext());
    String redacted = REDACTOR.redact(row.input());
    if (row.open() != null) {
      assertThat(redacted).as("%s is listed as open but is now redacted: move it to the redacted rows", row.id())
          .contains(row.plaintext());
      Assumptions.abort("open (security report D8): " + row.open());
    }
    assertThat(redacted).as(row.id()).doesNotContain(row.plaintext());
  }
}
