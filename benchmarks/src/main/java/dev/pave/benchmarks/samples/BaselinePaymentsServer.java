package dev.pave.benchmarks.samples;

import dev.pave.samples.payments.v1.AuthorizeRequest;
import dev.pave.samples.payments.v1.AuthorizeResponse;
import dev.pave.samples.payments.v1.PaymentServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The two baselines of the rolling-restart proof: the payments API on bare grpc-java, with the
 * same simulated 20 ms acquirer latency as the Pave sample.
 *
 * <ul>
 *   <li>{@code bare}: no shutdown handling; the JVM exits on SIGTERM, calls in flight are lost.
 *   <li>{@code graceful}: what teams write by hand: a shutdown hook that sets gRPC health to
 *       NOT_SERVING, calls {@code shutdown()} and {@code awaitTermination(20s)}; no drain delay.
 * </ul>
 *
 * <p>Usage: {@code BaselinePaymentsServer <port> bare|graceful}; port 0 picks a free one. Prints
 * {@code listening on port N} once it accepts connections.
 */
public final class BaselinePaymentsServer {
  private BaselinePaymentsServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    boolean graceful = args[1].equals("graceful");
    ScheduledExecutorService acquirer = Executors.newScheduledThreadPool(2);
    HealthStatusManager health = new HealthStatusManager();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(new PaymentServiceGrpc.PaymentServiceImplBase() {
          @Override
          public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeResponse> out) {
            acquirer.schedule(() -> {
              out.onNext(AuthorizeResponse.newBuilder().setApproved(true).setPaymentId("pay_base").build());
              out.onCompleted();
            }, 20, TimeUnit.MILLISECONDS);
          }
        })
        .addService(health.getHealthService())
        .build()
        .start();
    System.out.println("listening on port " + server.getPort());
    if (graceful) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        health.setStatus("", ServingStatus.NOT_SERVING);
        server.shutdown();
        try {
          server.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        server.shutdownNow();
      }));
    }
    server.awaitTermination();
  }
}
