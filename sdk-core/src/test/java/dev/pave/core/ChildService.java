package dev.pave.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** A {@link TestServiceMain} running in a child JVM, with its output captured to a file. */
final class ChildService implements AutoCloseable {
  private static final Pattern ADMIN_PORT = Pattern.compile("admin server on http://[^:\"]+:(\\d+)");
  private static final Pattern APP_PORT = Pattern.compile("app endpoint on port (\\d+)");

  final Process process;
  private final Path output;

  private ChildService(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static ChildService start(Path dir, Map<String, String> properties) throws IOException {
    return start(dir, properties, Map.of());
  }

  /** Starts the child with {@code properties} as -D options and {@code environment} added to its environment. */
  static ChildService start(Path dir, Map<String, String> properties, Map<String, String> environment)
      throws IOException {
    String java = System.getProperty("pave.test.java");
    if (java == null) {
      java = ProcessHandle.current().info().command().orElse("java");
    }
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xshare:auto");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dadmin.host=127.0.0.1");
    command.add("-Dadmin.port=0");
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TestServiceMain.class.getName());
    Path output = Files.createTempFile(dir, "child", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_"));
    builder.environment().putAll(environment);
    return new ChildService(builder.start(), output);
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for the output to contain a match of {@code regex}; returns group 1 (or the match). */
  String awaitLog(String regex, Duration timeout) {
    Pattern pattern = Pattern.compile(regex);
    String[] found = new String[1];
    try {
      Awaitility.await("log matching " + regex)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(20))
          .failFast("child exited", () -> !process.isAlive() && !pattern.matcher(output()).find())
          .until(() -> {
            Matcher m = pattern.matcher(output());
            if (m.find()) {
              found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
              return true;
            }
            return false;
          });
    } catch (RuntimeException e) {
      throw new AssertionError("no log line matching '" + regex + "'; child output:\n" + output(), e);
    }
    return found[0];
  }

  int adminPort() {
    return Integer.parseInt(awaitLog(ADMIN_PORT.pattern(), Duration.ofSeconds(30)));
  }

  int appPort() {
    return Integer.parseInt(awaitLog(APP_PORT.pattern(), Duration.ofSeconds(30)));
  }

  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s exit status", name).isZero();
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(exited).as("child exited within %s; output:%n%s", timeout, output()).isTrue();
    return process.exitValue();
  }

  File outputFile() {
    return output.toFile();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
