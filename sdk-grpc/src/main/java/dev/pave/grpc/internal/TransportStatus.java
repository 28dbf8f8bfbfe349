package dev.pave.grpc.internal;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;

/**
 * Remembers the status with which the transport ended a call's stream, so that the access log,
 * the metrics and the span record what the client saw when a call ends without the server closing
 * it: {@code RESOURCE_EXHAUSTED} for a message over {@code grpc.server.max-inbound-message-size},
 * {@code INTERNAL} for a truncated or wrongly compressed frame, {@code DEADLINE_EXCEEDED} when the
 * caller's deadline passed at the server, {@code CANCELLED} only for a peer that reset the stream.
 * gRPC tells interceptors only {@code onCancel()}, without a status; a stream tracer is told the
 * status before that {@code onCancel()} runs, and hands it over through the call's context.
 * (Security report D13: such calls were all logged as {@code CANCELLED "cancelled by the client"}.)
 */
final class TransportStatus extends ServerStreamTracer.Factory {

  private static final Context.Key<Holder> KEY = Context.key("pave-transport-status");

  private static final class Holder {
    volatile Status status;
  }

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    Holder holder = new Holder();
    return new ServerStreamTracer() {
      @Override
      public Context filterContext(Context context) {
        return context.withValue(KEY, holder);
      }

      @Override
      public void streamClosed(Status status) {
        holder.status = status;
      }
    };
  }

  /**
   * The status a call that ended without a server close ended with, for an interceptor's {@code
   * onCancel()} (which runs in the call's context): the transport's, else {@code CANCELLED}.
   */
  public static Status ofCancelledCall() {
    Holder holder = KEY.get();
    Status status = holder == null ? null : holder.status;
    if (status == null || status.isOk() || status.getCode() == Status.Code.CANCELLED) {
      return Status.CANCELLED.withDescription("cancelled by the client");
    }
    return status;
  }
}
