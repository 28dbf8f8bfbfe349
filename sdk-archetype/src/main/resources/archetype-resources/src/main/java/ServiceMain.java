package ${package};

import dev.pave.core.Pave;
import dev.pave.core.ServiceContext;
import dev.pave.grpc.PaveGrpc;

/**
 * The ${serviceName} service: {@code java -jar target/${serviceName}.jar}. Configuration comes
 * from {@code application.yaml}, the environment ({@code GRPC_PORT}, {@code ADMIN_PORT}, ...) and
 * system properties; secrets from the mounted secret volume.
 */
public final class ServiceMain {

  private ServiceMain() {}

  /**
   * Runs the service until SIGTERM; exits 0 after an orderly stop, 1 when it cannot start.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    Pave.service("${serviceName}").run(ServiceMain::setup);
  }

  /**
   * The whole platform wiring: bind the configuration, register components and health checks,
   * add the gRPC services. Tests start the same wiring with {@code @PaveTest(ServiceMain.class)}.
   *
   * @param svc the service context
   */
  static void setup(ServiceContext svc) {
    ServiceConfig config = svc.config().bind("${serviceName}", ServiceConfig.class);
    PaveGrpc.from(svc).server().addService(new GreeterService(config));
  }
}
