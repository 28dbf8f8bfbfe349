package dev.pave.testsupport;

/**
 * The lines a Pave service logs that name the ports it bound, as regular expressions whose group 1
 * is the port: a test starts a service on port 0 (so nothing can take a port between the test
 * picking it and the service binding it) and reads the ports from its output. Both lines are
 * plain text inside the JSON {@code message} as well.
 */
public final class ServiceLog {
  /** sdk-grpc's {@code gRPC server listening on 127.0.0.1:N (...)}, once the port is bound. */
  public static final String GRPC_PORT = "gRPC server listening on 127\\.0\\.0\\.1:(\\d+)";

  /** sdk-core's READY line, {@code ... READY in M ms since JVM start; admin server on http://127.0.0.1:N}. */
  public static final String ADMIN_PORT = "READY in \\d+ ms since JVM start; admin server on http://127\\.0\\.0\\.1:(\\d+)";

  private ServiceLog() {}
}
