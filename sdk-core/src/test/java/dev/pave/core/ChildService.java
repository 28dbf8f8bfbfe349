package dev.pave.core;

import dev.pave.testsupport.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link TestServiceMain} running in a child JVM (test-support's {@link ChildJvm}, stdout and
 * stderr through a real pipe into one file), with what sdk-core's process tests ask of it.
 */
final class ChildService implements AutoCloseable {
  private static final String ADMIN_PORT = "admin server on http://[^:\"]+:(\\d+)";
  private static final String APP_PORT = "app endpoint on port (\\d+)";

  final Process process;
  private final ChildJvm child;

  private ChildService(ChildJvm child) {
    this.child = child;
    this.process = child.process();
  }

  static ChildService start(Path dir, Map<String, String> properties) throws IOException {
    return start(dir, properties, Map.of());
  }

  /** Starts the child with {@code properties} as -D options and {@code environment} added to its environment. */
  static ChildService start(Path dir, Map<String, String> properties, Map<String, String> environment)
      throws IOException {
    List<String> options = new ArrayList<>(List.of("-Dadmin.host=127.0.0.1", "-Dadmin.port=0"));
    properties.forEach((k, v) -> options.add("-D" + k + "=" + v));
    return new ChildService(ChildJvm.builder(dir, TestServiceMain.class)
        .jvmArgs(options)
        .removeEnv(k -> k.startsWith("OTEL_"))
        .env(environment)
        .mergeStderr()
        .start());
  }

  String output() {
    return child.stdoutText();
  }

  /** Waits for the output to contain a match of {@code regex}; returns group 1 (or the match). */
  String awaitLog(String regex, Duration timeout) {
    return child.awaitOutput(regex, timeout);
  }

  int adminPort() {
    return Integer.parseInt(awaitLog(ADMIN_PORT, Duration.ofSeconds(30)));
  }

  int appPort() {
    return Integer.parseInt(awaitLog(APP_PORT, Duration.ofSeconds(30)));
  }

  void signal(String name) throws IOException, InterruptedException {
    child.signal(name);
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    return child.awaitExit(timeout);
  }

  @Override
  public void close() {
    child.close();
  }
}
