package dev.pave.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs Prometheus's own {@code promtool check metrics} (Debian package {@code prometheus}). */
final class Promtool {
  /** promtool's exit status for "parsed, but lint findings" (1 means it could not parse). */
  private static final int LINT_FINDINGS = 3;
  /**
   * Lint findings about Micrometer's standard JVM/process meter names, kept as Micrometer names
   * them so that shared dashboards work. Pave's own meters must lint clean.
   */
  private static final List<String> ACCEPTED_LINT = List.of(
      "process_cpu_time_ns_total metric names should not contain abbreviated units",
      "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix");

  private Promtool() {}

  static void assertValid(String exposition) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("promtool not found: install the Debian package 'prometheus'", e);
    }
    try (OutputStream in = process.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int exit = process.exitValue();
    assertThat(exit).as("promtool check metrics exit status; it said:%n%s", output).isIn(0, LINT_FINDINGS);
    List<String> findings = Arrays.stream(output.split("\n")).map(String::trim).filter(l -> !l.isEmpty())
        .collect(Collectors.toList());
    assertThat(findings).as("promtool lint findings").isSubsetOf(ACCEPTED_LINT);
  }
}
