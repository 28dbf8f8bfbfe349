package dev.pave.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link LoggingChild} in a fresh JVM through test-support's one launcher
 * ({@link dev.pave.testsupport.ChildJvm}); stdout goes to a file, or where a test puts it.
 * Adds what only logging tests need: every stdout line as a JSON object.
 */
final class ChildJvm {

  static final ObjectMapper JSON = new ObjectMapper();

  final Process process;
  private final dev.pave.testsupport.ChildJvm jvm;

  private ChildJvm(dev.pave.testsupport.ChildJvm jvm) {
    this.jvm = jvm;
    this.process = jvm.process();
  }

  static ChildJvm start(Path dir, List<String> jvmArgs, Map<String, String> env, String classpathPrefix, String... args)
      throws IOException {
    return new ChildJvm(builder(dir, jvmArgs, args).env(env).classpathPrefix(classpathPrefix)
        .stdout(dev.pave.testsupport.ChildJvm.Stdout.FILE).start());
  }

  /**
   * As {@link #start}, with stdout a pipe that nobody ever reads: once the pipe's buffer is full,
   * every write to stdout blocks, as with a log shipper that stopped reading.
   */
  static ChildJvm startWithUnreadStdout(Path dir, List<String> jvmArgs, String... args) throws IOException {
    return new ChildJvm(builder(dir, jvmArgs, args).stdout(dev.pave.testsupport.ChildJvm.Stdout.UNREAD_PIPE).start());
  }

  /** As {@link #start}, with stdout written to {@code file} (such as {@code /dev/full}). */
  static ChildJvm startWithStdoutTo(Path dir, java.io.File file, String... args) throws IOException {
    return new ChildJvm(builder(dir, List.of(), args).stdoutTo(file).start());
  }

  private static dev.pave.testsupport.ChildJvm.Builder builder(Path dir, List<String> jvmArgs, String... args) {
    return dev.pave.testsupport.ChildJvm.builder(dir, LoggingChild.class)
        .jvmArgs(jvmArgs)
        .args(args)
        // A predictable environment: no inherited Kubernetes or logging variables.
        .removeEnv(k -> k.startsWith("LOGGING_") || k.startsWith("POD_") || k.startsWith("KUBERNETES_")
            || k.startsWith("SERVICE_") || k.startsWith("DEPLOYMENT_"));
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    return jvm.awaitExit(timeout);
  }

  List<String> lines() {
    return jvm.lines();
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
    return jvm.stdoutText();
  }

  String stderr() {
    return jvm.stderr();
  }

  private static String abbreviate(String line) {
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
