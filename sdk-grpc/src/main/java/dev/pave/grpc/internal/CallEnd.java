package dev.pave.grpc.internal;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ServerCall;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** Runs a clean-up exactly once when a server call ends: completed, cancelled, or failed to start. */
final class CallEnd {

  private CallEnd() {}

  /**
   * Starts the call with {@code start} and returns its listener, wrapped so that {@code cleanUp}
   * runs once after {@code onComplete} or {@code onCancel}, or at once if {@code start} throws.
   */
  static <Q> ServerCall.Listener<Q> startThen(Supplier<ServerCall.Listener<Q>> start, Runnable cleanUp) {
    AtomicBoolean done = new AtomicBoolean();
    Runnable once =
        () -> {
          if (done.compareAndSet(false, true)) {
            cleanUp.run();
          }
        };
    ServerCall.Listener<Q> listener;
    try {
      listener = start.get();
    } catch (RuntimeException | Error e) {
      once.run();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          once.run();
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          once.run();
        }
      }
    };
  }
}
