package dev.pave.grpc;

import dev.pave.core.LifecycleComponent;
import dev.pave.core.Pave;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * A Pave service run as a child JVM by {@link GrpcDrainTest}: serves {@link EchoService} and, once
 * its gRPC server is up, writes the bound port to the file named by {@code -Dtest.port-file}.
 */
public final class DrainTestServer {

  private DrainTestServer() {}

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
