package dev.pave.samples.payments;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The payments sample as a real child JVM ({@code PaymentsMain} on this test's class path),
 * configured only through environment variables as in production, on 127.0.0.1 with OS-chosen
 * ports, its API key decrypted from the committed demo age file. Ports are read from its JSON log.
 */
final class PaymentsProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ADMIN = Pattern.compile("admin server on http://[^:]+:(\\d+)");

  private final Process process;
  private final List<JsonNode> logs = new CopyOnWriteArrayList<>();
  private final List<String> rawLines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private PaymentsProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::readLogs, "payments-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static PaymentsProcess start(Path tempDir, Map<String, String> env) throws IOException {
    String java = Optional.ofNullable(System.getProperty("pave.test.java"))
        .orElseGet(() -> ProcessHandle.current().info().command().orElseThrow());
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), PaymentsMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Path demo = Path.of("demo").toAbsolutePath();
    Map<String, String> environment = builder.environment();
    environment.put("GRPC_PORT", "0");
    environment.put("GRPC_SERVER_HOST", "127.0.0.1");
    environment.put("ADMIN_PORT", "0");
    environment.put("ADMIN_HOST", "127.0.0.1");
    environment.put("LOGGING_FORMAT", "json");
    environment.put("LIFECYCLE_DRAIN_DELAY", "200ms");
    environment.put("SECRETS_DIR", tempDir.resolve("no-secret-volume").toString());
    environment.put("SECRETS_LOCAL_FILE", demo.resolve("secrets.local.age").toString());
    environment.put("PAVE_AGE_IDENTITY_FILE", demo.resolve("demo-age-identity.txt").toString());
    environment.put("CONFIG_DIRS", tempDir.resolve("no-config-dir").toString());
    environment.putAll(env);
    return new PaymentsProcess(builder.start());
  }

  private void readLogs() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        rawLines.add(line);
        if (line.startsWith("{")) {
          logs.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      rawLines.add("(log reader stopped: " + e + ")");
    }
  }

  /** Waits for READY and returns {grpcPort, adminPort}. */
  int[] awaitReady(Duration timeout) {
    int[] ports = new int[2];
    await("payments READY; output so far:\n" + String.join("\n", rawLines))
        .atMost(timeout).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          if (!process.isAlive()) {
            throw new AssertionError("payments exited " + process.exitValue() + ":\n"
                + String.join("\n", rawLines));
          }
          for (JsonNode line : logs) {
            if (line.has("port") && line.path("log.logger").asText().endsWith("GrpcServer")) {
              ports[0] = line.get("port").asInt();
            }
            Matcher admin = ADMIN.matcher(line.path("message").asText());
            if (admin.find()) {
              ports[1] = Integer.parseInt(admin.group(1));
            }
          }
          return ports[0] > 0 && ports[1] > 0;
        });
    return ports;
  }

  List<JsonNode> logs() {
    return logs;
  }

  String output() {
    return String.join("\n", rawLines);
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the process to exit on its own (a failed startup) and for its output to be read; returns the exit status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("payments did not exit within " + timeout + ":\n" + output());
    }
    reader.join(timeout.toMillis());
    return process.exitValue();
  }

  /** SIGTERM, as the kubelet sends it; returns the exit status. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy(); // SIGTERM on Linux
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("payments did not stop within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
