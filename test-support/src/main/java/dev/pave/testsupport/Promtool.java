package dev.pave.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus's own {@code promtool} (Debian package {@code prometheus}), the one wrapper of Pave's tests. */
public final class Promtool {

  /** promtool's exit status for "parsed, but lint findings" (1 means it could not parse). */
  private static final int LINT_FINDINGS = 3;
  /**
   * Lint findings about Micrometer's standard JVM/process meter names, kept as Micrometer names
   * them so that shared dashboards work. Pave's own meters must lint clean.
   */
  private static final List<String> ACCEPTED_LINT = List.of(
      "process_cpu_time_ns_total metric names should not contain abbreviated units",
      "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix");

  /** What a run printed (stdout and stderr together) and its exit status. */
  public record Result(int exit, String output) {}

  private Promtool() {}

  /** Runs {@code promtool <args>} with {@code stdin} (may be null), within 30 s. */
  public static Result run(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("promtool");
    command.addAll(Arrays.asList(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("promtool not found: install the Debian package 'prometheus'", e);
    }
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 30 s");
    }
    return new Result(process.exitValue(), output);
  }

  /**
   * Asserts that {@code promtool check metrics} parses {@code exposition} and finds nothing but
   * the accepted lint about Micrometer's standard JVM meter names.
   */
  public static void assertValidMetrics(String exposition) throws IOException, InterruptedException {
    Result result = run(exposition, "check", "metrics");
    assertThat(result.exit()).as("promtool check metrics exit status; it said:%n%s", result.output())
        .isIn(0, LINT_FINDINGS);
    List<String> findings = result.output().lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    assertThat(findings).as("promtool lint findings").isSubsetOf(ACCEPTED_LINT);
  }
}
