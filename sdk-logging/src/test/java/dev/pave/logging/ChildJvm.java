package dev.pave.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@link LoggingChild} in a fresh JVM with this test's classpath; stdout goes to a file. */
final class ChildJvm {

  static final ObjectMapper JSON = new ObjectMapper();

  final Process process;
  final Path stdout;
  final Path stderr;

  private ChildJvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static ChildJvm start(Path dir, List<String> jvmArgs, Map<String, String> env, String classpathPrefix, String... args)
      throws IOException {
    return start(dir, jvmArgs, env, classpathPrefix, null, args);
  }

  /**
   * As {@link #start}, with stdout a pipe that nobody ever reads: once the pipe's buffer is full,
   * every write to stdout blocks, as with a log shipper that stopped reading.
   */
  static ChildJvm startWithUnreadStdout(Path dir, List<String> jvmArgs, String... args) throws IOException {
    return start(dir, jvmArgs, Map.of(), null, ProcessBuilder.Redirect.PIPE, args);
  }

  /** As {@link #start}, with stdout written to {@code file} (such as {@code /dev/full}). */
  static ChildJvm startWithStdoutTo(Path dir, java.io.File file, String... args) throws IOException {
    return start(dir, List.of(), Map.of(), null, ProcessBuilder.Redirect.to(file), args);
  }

  private static ChildJvm start(Path dir, List<String> jvmArgs, Map<String, String> env, String classpathPrefix,
      ProcessBuilder.Redirect stdout, String... args) throws IOException {
    String java = System.getProperty("pave.test.java", ProcessHandle.current().info().command().orElse("java"));
    String classpath = System.getProperty("java.class.path");
    if (classpathPrefix != null) {
      classpath = classpathPrefix + File.pathSeparator + classpath;
    }
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xshare:auto");
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classpath);
    command.add(LoggingChild.class.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "stdout", ".log");
    Path err = Files.createTempFile(dir, "stderr", ".log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(stdout == null ? ProcessBuilder.Redirect.to(out.toFile()) : stdout)
        .redirectError(err.toFile());
    // A predictable environment: no inherited Kubernetes or logging variables.
    builder.environment().keySet().removeIf(k -> k.startsWith("LOGGING_") || k.startsWith("POD_")
        || k.startsWith("KUBERNETES_") || k.startsWith("SERVICE_") || k.startsWith("DEPLOYMENT_"));
    builder.environment().putAll(env);
    return new ChildJvm(builder.start(), out, err);
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not exit within " + timeout + "; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  List<String> lines() {
    try {
      return Files.readAllLines(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every stdout line parsed as one JSON object; fails on the first line that is not. */
  List<JsonNode> jsonLines() {
    List<JsonNode> nodes = new ArrayList<>();
    List<String> lines = lines();
    for (int i = 0; i < lines.size(); i++) {
      try {
        JsonNode node = JSON.readTree(lines.get(i));
        if (node == null || !node.isObject()) {
          throw new AssertionError("line " + (i + 1) + " is not a JSON object: " + abbreviate(lines.get(i)));
        }
        nodes.add(node);
      } catch (IOException e) {
        throw new AssertionError("line " + (i + 1) + " is not valid JSON: " + abbreviate(lines.get(i)), e);
      }
    }
    return nodes;
  }

  String stdoutText() {
    try {
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String stderr() {
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String abbreviate(String line) {
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
