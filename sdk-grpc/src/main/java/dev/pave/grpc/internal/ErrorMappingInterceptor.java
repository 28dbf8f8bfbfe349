package dev.pave.grpc.internal;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches what a handler throws (and what it passes to {@code onError}, which grpc-java turns
 * into {@code UNKNOWN} with the exception as cause) and closes the call with the mapped status, so
 * no exception text or stack trace reaches the caller.
 *
 * <p>Every status the handler closes with has its description cut to {@link
 * #MAX_DESCRIPTION_LENGTH} characters: an {@code IllegalArgumentException} message that echoes a
 * 100 KB request field made a {@code grpc-message} trailer over 64 KiB, which a grpc-js client
 * never read (it reported {@code DEADLINE_EXCEEDED}), and an access-log line as long (security
 * report D14).
 */
final class ErrorMappingInterceptor implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(ExceptionMapping.LOGGER_NAME);

  /** Longest status description sent: {@value} characters, then a marker with the count cut. */
  public static final int MAX_DESCRIPTION_LENGTH = 1024;

  private final ExceptionMapping mapping;

  public ErrorMappingInterceptor(ExceptionMapping mapping) {
    this.mapping = mapping;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Guarded<Q, R> guarded = new Guarded<>(call, mapping);
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(guarded, headers);
    } catch (RuntimeException | Error e) {
      guarded.fail(e);
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(Q message) {
        try {
          super.onMessage(message);
        } catch (RuntimeException | Error e) {
          guarded.fail(e);
        }
      }

      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (RuntimeException | Error e) {
          guarded.fail(e);
        }
      }

      @Override
      public void onReady() {
        try {
          super.onReady();
        } catch (RuntimeException | Error e) {
          guarded.fail(e);
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } catch (RuntimeException | Error e) {
          guarded.logAfterClose(e);
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } catch (RuntimeException | Error e) {
          guarded.logAfterClose(e);
        }
      }
    };
  }

  private static final class Guarded<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final ExceptionMapping mapping;
    private volatile boolean closed;

    Guarded(ServerCall<Q, R> call, ExceptionMapping mapping) {
      super(call);
      this.mapping = mapping;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (closed) {
        return;
      }
      closed = true;
      if (status.getCause() != null && status.getCode() == Status.Code.UNKNOWN) {
        // responseObserver.onError(exception): grpc-java made it UNKNOWN; map it like a throw.
        ExceptionMapping.Mapped mapped =
            mapping.map(getMethodDescriptor().getFullMethodName(), status.getCause());
        trailers.merge(mapped.trailers());
        super.close(bounded(mapped.status()), trailers);
        return;
      }
      super.close(bounded(status), trailers);
    }

    private static Status bounded(Status status) {
      String description = status.getDescription();
      if (description == null || description.length() <= MAX_DESCRIPTION_LENGTH) {
        return status;
      }
      int end = MAX_DESCRIPTION_LENGTH;
      if (Character.isHighSurrogate(description.charAt(end - 1))) {
        end--; // never cut a surrogate pair in half
      }
      return status.withDescription(description.substring(0, end)
          + "... (" + (description.length() - end) + " characters cut)");
    }

    void fail(Throwable error) {
      if (error instanceof Error fatal && !(error instanceof AssertionError)) {
        closeQuietly(Status.INTERNAL.withDescription("internal error"));
        throw fatal;
      }
      if (closed) {
        logAfterClose(error);
        return;
      }
      ExceptionMapping.Mapped mapped =
          mapping.map(getMethodDescriptor().getFullMethodName(), error);
      closed = true;
      super.close(bounded(mapped.status()), mapped.trailers());
    }

    private void closeQuietly(Status status) {
      if (!closed) {
        closed = true;
        super.close(status, new Metadata());
      }
    }

    void logAfterClose(Throwable error) {
      LOG.error(
          "gRPC {} threw after its call was closed", getMethodDescriptor().getFullMethodName(),
          error);
    }
  }
}
