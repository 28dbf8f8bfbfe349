package dev.pave.benchmarks.grpc;

import dev.pave.core.Pave;
import dev.pave.grpc.PaveGrpc;

/**
 * A Pave service at its defaults hosting {@link EchoService}, as its own process: JSON logs with
 * the access log on, tracing on at the default sampler, metrics on, health and the admin server.
 * Configured only by the environment, as in a Deployment ({@code GRPC_PORT}, {@code ADMIN_PORT},
 * and whatever variant {@link AsDeployedBenchmark} sets).
 */
public final class PaveEchoService {
  private PaveEchoService() {}

  public static void main(String[] args) {
    Pave.service("echo").run(svc -> PaveGrpc.from(svc).server().addService(new EchoService()));
  }
}
