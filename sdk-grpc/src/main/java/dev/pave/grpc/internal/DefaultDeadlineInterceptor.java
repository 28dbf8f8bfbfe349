package dev.pave.grpc.internal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives a call whose caller sent no deadline the server's default one, as a deadline on the
 * handler's {@link Context}: downstream calls made in the handler inherit it (grpc-java clients
 * take the smaller of their own and the context's deadline), as they inherit a caller's deadline.
 * The context is cancelled when the call completes, which also frees its timer.
 */
public final class DefaultDeadlineInterceptor implements ServerInterceptor {

  private final long deadlineNanos;
  private final ScheduledExecutorService scheduler;

  public DefaultDeadlineInterceptor(Duration deadline, ScheduledExecutorService scheduler) {
    this.deadlineNanos = deadline.toNanos();
    this.scheduler = scheduler;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Context current = Context.current();
    if (current.getDeadline() != null) {
      return next.startCall(call, headers);
    }
    Context.CancellableContext withDeadline =
        current.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS, scheduler);
    return CallEnd.startThen(
        () -> Contexts.interceptCall(withDeadline, call, headers, next), () -> withDeadline.cancel(null));
  }
}
