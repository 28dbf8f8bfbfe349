package dev.pave.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * docs/core.md's runtime image: a JDK's modules but {@code jdk.localedata}, linked by the JDK's own
 * {@code jlink} (from its {@code jmods} on 17, from the run-time image itself on 24+, JEP 493), with
 * a default CDS archive. What it saves: with {@code jdk.localedata} present the JDK's CLDR provider
 * enumerates every locale it has the first time a library formats a date or asks for the available
 * locales (Jackson's {@code StdDateFormat}, Jetty's {@code MimeTypes}), ~80 ms of a 2-core start on
 * JDK 25 (docs/benchmarks.md). What it costs: only English and the root locale's data remain.
 * {@code StartupAcrossJdks} measures starts on it; {@code RecommendedStartTest} and {@code
 * ArchetypeTest} run services on it.
 *
 * <p>The same as docs/core.md's shell command:
 *
 * <pre>
 * jlink --output RUNTIME --no-man-pages --no-header-files --generate-cds-archive --add-modules \
 *     "$(java --list-modules | sed 's/@.*$//' | grep -vx -e jdk.localedata -e jdk.jlink -e jdk.jpackage | paste -sd, -)"
 * </pre>
 */
public final class RuntimeImage {
  /**
   * Left out: the locale data, and jlink and jpackage, build tools a service does not run (a JDK
   * 24+ linking from its own run-time image refuses to copy jlink anyway).
   */
  public static final Set<String> LEFT_OUT = Set.of("jdk.localedata", "jdk.jlink", "jdk.jpackage");

  private RuntimeImage() {}

  /**
   * Links the runtime image of {@code jdk} into {@code output} (replaced if present) and returns its
   * {@code bin/java}.
   *
   * @throws IOException if a tool fails; the message carries its output
   */
  public static Path link(Path jdk, Path output) throws IOException, InterruptedException {
    List<String> modules = modules(jdk.resolve("bin").resolve("java")).stream()
        .filter(module -> !LEFT_OUT.contains(module))
        .toList();
    if (Files.exists(output)) {
      try (Stream<Path> files = Files.walk(output)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    run(List.of(jdk.resolve("bin/jlink").toString(), "--output", output.toString(), "--no-man-pages",
        "--no-header-files", "--generate-cds-archive", "--add-modules", String.join(",", modules)));
    return output.resolve("bin").resolve("java");
  }

  /** The modules of {@code java}'s runtime ({@code java --list-modules}), without their versions. */
  public static List<String> modules(Path java) throws IOException, InterruptedException {
    return run(List.of(java.toString(), "--list-modules")).lines()
        .map(line -> line.replaceFirst("@.*", "").trim())
        .filter(module -> !module.isEmpty())
        .toList();
  }

  /** Runs {@code command} to its end (within 5 minutes) and returns its output (stdout and stderr). */
  private static String run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("runtime-image", ".log");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish within 5 minutes");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException(command.get(0) + " exited " + process.exitValue() + ": " + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
