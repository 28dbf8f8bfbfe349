package dev.pave.grpc.internal;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Records {@link RpcMetrics} of every server call: started, message sizes, duration by status. */
final class ServerMetricsInterceptor implements ServerInterceptor {

  private final RpcMetrics metrics;

  public ServerMetricsInterceptor(RpcMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    RpcMetrics.Call measured = metrics.forMethod(call.getMethodDescriptor()).start();
    ServerCall<Q, R> forwarding =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendMessage(R message) {
            measured.response(message);
            super.sendMessage(message);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            measured.end(status.getCode());
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(forwarding, headers)) {
      @Override
      public void onMessage(Q message) {
        measured.request(message);
        super.onMessage(message);
      }

      @Override
      public void onCancel() {
        // The call ended without a server close: the client cancelled, its deadline passed, or the
        // transport refused a message (TransportStatus says which).
        measured.end(TransportStatus.ofCancelledCall().getCode());
        super.onCancel();
      }
    };
  }
}
