package dev.pave.grpc.internal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gives a call whose caller sent no deadline the server's default one, as a deadline on the
 * handler's {@link Context}: downstream calls made in the handler inherit it (grpc-java clients
 * take the smaller of their own and the context's deadline), as they inherit a caller's deadline.
 *
 * <p>When the default deadline passes, the call is also closed with {@code DEADLINE_EXCEEDED},
 * as grpc-java closes a call whose caller's deadline passed: otherwise a stream that sent its
 * headers and never its message stays open until the peer disconnects, and one connection can
 * hold thousands of them (security report D1). The close comes from the deadline timer's thread,
 * so every close and send of the call goes through one lock here, and whatever the handler sends
 * after the deadline is dropped. It must sit outside the error-mapping interceptor (whose close
 * then goes through the lock too) and inside the access log and metrics (which see the status).
 * The context is cancelled when the call completes, which also frees its timer.
 */
final class DefaultDeadlineInterceptor implements ServerInterceptor {

  private static final Executor DIRECT = Runnable::run;

  private final Duration deadline;
  private final ScheduledExecutorService scheduler;

  public DefaultDeadlineInterceptor(Duration deadline, ScheduledExecutorService scheduler) {
    this.deadline = deadline;
    this.scheduler = scheduler;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Context current = Context.current();
    if (current.getDeadline() != null) {
      return next.startCall(call, headers); // grpc-java closes the call at the caller's deadline
    }
    GuardedCall<Q, R> guarded = new GuardedCall<>(call);
    Context.CancellableContext withDeadline =
        current.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS, scheduler);
    withDeadline.addListener(
        context -> {
          if (context.cancellationCause() instanceof TimeoutException) {
            guarded.closeAtDeadline(Status.DEADLINE_EXCEEDED.withDescription(
                "no deadline sent; the server's default of " + deadline.toMillis()
                    + " ms (grpc.server.default-deadline) passed"));
          }
        },
        DIRECT);
    return CallEnd.startThen(
        () -> Contexts.interceptCall(withDeadline, guarded, headers, next), () -> withDeadline.cancel(null));
  }

  /** A call whose sends and close are serialized, so that the deadline timer may close it. */
  private static final class GuardedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private final Object lock = new Object();
    private boolean closed;

    GuardedCall(ServerCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      synchronized (lock) {
        if (!closed) {
          super.sendHeaders(headers);
        }
      }
    }

    @Override
    public void sendMessage(R message) {
      synchronized (lock) {
        if (!closed) {
          super.sendMessage(message);
        }
      }
    }

    @Override
    public void close(Status status, Metadata trailers) {
      synchronized (lock) {
        if (closed) {
          return; // the deadline closed it first; the handler's answer came too late
        }
        closed = true;
        super.close(status, trailers);
      }
    }

    void closeAtDeadline(Status status) {
      close(status, new Metadata());
    }
  }
}
