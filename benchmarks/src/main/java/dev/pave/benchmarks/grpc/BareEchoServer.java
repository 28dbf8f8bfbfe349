package dev.pave.benchmarks.grpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;

/**
 * The peer of {@link AsDeployedBenchmark}: {@link EchoService} on a plain grpc-java server
 * ({@code NettyServerBuilder}, netty-shaded, nothing else), as its own process. Port from {@code
 * GRPC_PORT}; runs until killed.
 */
public final class BareEchoServer {
  private BareEchoServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("GRPC_PORT", "9090"));
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(new EchoService())
            .build()
            .start();
    System.out.println("bare echo server listening on 127.0.0.1:" + server.getPort());
    server.awaitTermination();
  }
}
