package dev.pave.grpc;

import static org.awaitility.Awaitility.await;

import dev.pave.core.LifecycleComponent;
import dev.pave.core.Pave;
import dev.pave.testsupport.ChildJvm;
import dev.pave.testsupport.ServiceLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Pave service run as a child JVM by {@link GrpcDrainTest}: serves {@link EchoService} and, once
 * its gRPC server is up, writes the bound port to the file named by {@code -Dtest.port-file}.
 */
public final class DrainTestServer {

  private static final Pattern ADMIN_PORT = Pattern.compile(ServiceLog.ADMIN_PORT);

  private DrainTestServer() {}

  /** A running child: its JVM (stdout and stderr through a pipe into one file) and its ports; grpcPort -1 if it exited first. */
  record Launched(ChildJvm jvm, int grpcPort, int adminPort) {
    Process process() {
      return jvm.process();
    }
  }

  /**
   * Starts this main in a child JVM (the one launcher of sdk-grpc's process tests) with {@code
   * options} (Pave settings as -D) and {@code env} (Pave settings as a Deployment gives them), on
   * 127.0.0.1 on ports it picks itself (port 0: a port picked here and closed could be taken before
   * the child binds it), and waits until it is READY or exited. The admin port comes from the
   * READY line; -1 for a port the child did not bind.
   */
  static Launched launch(Path dir, String name, List<String> options, Map<String, String> env) throws IOException {
    Path portFile = dir.resolve(name + ".port");
    List<String> jvmArgs = new ArrayList<>(List.of("-Xmx256m", "-Dtest.name=" + name, "-Dtest.port-file=" + portFile));
    jvmArgs.addAll(options);
    ChildJvm jvm = ChildJvm.builder(dir, DrainTestServer.class)
        .jvmArgs(jvmArgs)
        .removeEnv(k -> k.startsWith("OTEL_") || k.startsWith("GRPC_") || k.startsWith("ADMIN_"))
        .env(Map.of("GRPC_PORT", "0", "GRPC_SERVER_HOST", "127.0.0.1", "ADMIN_HOST", "127.0.0.1",
            "ADMIN_PORT", "0", "OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none",
            "OTEL_LOGS_EXPORTER", "none"))
        .env(env)
        .mergeStderr()
        .start();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> ADMIN_PORT.matcher(jvm.stdoutText()).find() || !jvm.process().isAlive());
    int grpcPort = Files.exists(portFile) ? Integer.parseInt(Files.readString(portFile).trim()) : -1;
    Matcher admin = ADMIN_PORT.matcher(jvm.stdoutText());
    int adminPort = admin.find() ? Integer.parseInt(admin.group(1)) : -1;
    return new Launched(jvm, grpcPort, adminPort);
  }

  public static void main(String[] args) {
    String name = System.getProperty("test.name");
    Path portFile = Path.of(System.getProperty("test.port-file"));
    Pave.service("drain-" + name)
        .run(
            svc -> {
              PaveGrpc grpc = PaveGrpc.from(svc);
              grpc.server().addService(new EchoService(name, null));
              // Registered after grpc-server, so it starts after the port is bound.
              svc.register(
                  new LifecycleComponent() {
                    @Override
                    public String name() {
                      return "port-file";
                    }

                    @Override
                    public void start() throws Exception {
                      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
                      Files.writeString(tmp, Integer.toString(grpc.server().port()));
                      Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
                    }

                    @Override
                    public void stop(Duration timeout) {}
                  });
            });
  }
}
