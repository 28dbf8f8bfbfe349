package dev.pave.grpc.internal;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/** Records {@link RpcMetrics} of every server call: started, message sizes, duration by status. */
final class ServerMetricsInterceptor implements ServerInterceptor {

  private final RpcMetrics metrics;

  public ServerMetricsInterceptor(RpcMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    RpcMetrics.MethodMeters meters = metrics.forMethod(call.getMethodDescriptor());
    meters.started();
    long start = System.nanoTime();
    AtomicBoolean done = new AtomicBoolean();
    ServerCall<Q, R> measured =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendMessage(R message) {
            meters.response(message);
            super.sendMessage(message);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            if (done.compareAndSet(false, true)) {
              meters.completed(status.getCode(), System.nanoTime() - start);
            }
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(measured, headers)) {
      @Override
      public void onMessage(Q message) {
        meters.request(message);
        super.onMessage(message);
      }

      @Override
      public void onCancel() {
        // The call ended without a server close: the client cancelled, its deadline passed, or the
        // transport refused a message (TransportStatus says which).
        if (done.compareAndSet(false, true)) {
          meters.completed(TransportStatus.ofCancelledCall().getCode(), System.nanoTime() - start);
        }
        super.onCancel();
      }
    };
  }
}
