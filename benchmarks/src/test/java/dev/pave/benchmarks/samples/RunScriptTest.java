package dev.pave.benchmarks.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's second command, {@code samples/run.sh}, as a person runs it: both samples start, the
 * orders go through checkout to payments, and Ctrl-C (SIGINT) drains and stops both with exit 0.
 * (Stop 22 added "(plaintext)" to the gRPC server's listening line, and the script, which read the
 * port from that line, waited for readiness forever; nothing ran it.)
 */
class RunScriptTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void theDemoPlacesItsOrders_thenCtrlCStopsBothServicesCleanly() throws Exception {
    for (String jar : new String[] {"samples/payments/target/payments.jar", "samples/checkout/target/checkout.jar"}) {
      assertThat(ROOT.resolve(jar)).as("run after the samples are packaged (mvn verify does)").isRegularFile();
    }
    Path output = tmp.resolve("run.out");
    ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("samples/run.sh").toString())
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().put("ORDERS", "2");
    builder.environment().put("TMPDIR", tmp.toString());
    Process script = builder.start();
    try {
      String streaming = awaitOutput(output, "Streaming both services' JSON logs", script, Duration.ofSeconds(120));
      assertThat(Pattern.compile("\"message\":\"order ord_\\w+ for .*trace_id=[0-9a-f]{32}").matcher(streaming).results().count())
          .as(streaming).isEqualTo(2);

      new ProcessBuilder("kill", "-INT", Long.toString(script.pid())).inheritIO().start().waitFor();
      assertThat(script.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(output)).isTrue();
      String all = Files.readString(output);
      assertThat(script.exitValue()).as(all).isZero();
      assertThat(all).contains("Both services stopped cleanly (exit 0)");
    } finally {
      script.destroyForcibly(); // SIGKILL reaches the script only: its trap is not run, so stop its services too
      script.descendants().forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** Polls {@code file} until it holds {@code text}; fails early if the script exited. */
  private static String awaitOutput(Path file, String text, Process script, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String out = Files.exists(file) ? Files.readString(file) : "";
      if (out.contains(text)) {
        return out;
      }
      if (!script.isAlive()) {
        throw new AssertionError("run.sh exited " + script.exitValue() + " before \"" + text + "\":\n" + out);
      }
      Thread.sleep(100); // polling the script's output with a deadline
    }
    throw new AssertionError("run.sh did not print \"" + text + "\" within " + timeout + ":\n" + Files.readString(file));
  }
}
