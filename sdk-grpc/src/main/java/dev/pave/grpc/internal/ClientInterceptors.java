package dev.pave.grpc.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pave's client interceptors: metrics, DEBUG call log, default deadline, circuit breaker. */
public final class ClientInterceptors {

  /** Logger of the DEBUG line per client call. */
  public static final String LOGGER_NAME = "dev.pave.grpc.client";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  private ClientInterceptors() {}

  /** Records {@link RpcMetrics} of every client call. */
  public static ClientInterceptor metrics(RpcMetrics metrics) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        RpcMetrics.MethodMeters meters = metrics.forMethod(method);
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            RpcMetrics.Call measured = meters.start();
            super.start(
                new SimpleForwardingClientCallListener<>(listener) {
                  @Override
                  public void onMessage(R message) {
                    measured.response(message);
                    super.onMessage(message);
                  }

                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    measured.end(status.getCode());
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }

          @Override
          public void sendMessage(Q message) {
            meters.request(message);
            super.sendMessage(message);
          }
        };
      }
    };
  }

  /** Logs each completed call at DEBUG on {@value #LOGGER_NAME}; free when DEBUG is off. */
  public static ClientInterceptor debugLog(String channelName) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        ClientCall<Q, R> call = next.newCall(method, options);
        if (!LOG.isDebugEnabled()) {
          return call;
        }
        return new SimpleForwardingClientCall<>(call) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            long start = System.nanoTime();
            super.start(
                new SimpleForwardingClientCallListener<>(listener) {
                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    LOG.atDebug()
                        .addKeyValue("grpc.client", channelName)
                        .addKeyValue("rpc.service", method.getServiceName())
                        .addKeyValue("rpc.method", method.getBareMethodName())
                        .addKeyValue("rpc.grpc.status_code", status.getCode().name())
                        .addKeyValue(
                            "duration_ms", (System.nanoTime() - start) / 1_000_000.0)
                        .log(
                            "gRPC client {} {} {}",
                            channelName,
                            method.getFullMethodName(),
                            status.getCode());
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  /**
   * Gives calls without a deadline of their own {@code deadline}; grpc-java still applies a
   * shorter deadline inherited from the current context (e.g. the caller's).
   */
  public static ClientInterceptor defaultDeadline(Duration deadline) {
    long nanos = deadline.toNanos();
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        CallOptions effective =
            options.getDeadline() == null
                ? options.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS)
                : options;
        return next.newCall(method, effective);
      }
    };
  }

  /**
   * Guards calls with {@code breaker}: when it is open, a call fails at once with
   * {@code UNAVAILABLE} and reaches no server; otherwise its final status (after gRPC's retries)
   * is recorded, {@code failureCodes} as failures, calls the caller cancelled not at all.
   */
  public static ClientInterceptor circuitBreaker(
      CircuitBreaker breaker, Set<Status.Code> failureCodes) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        if (!breaker.tryAcquirePermission()) {
          return new FailedCall<>(
              Status.UNAVAILABLE.withDescription(
                  "circuit breaker '" + breaker.getName() + "' is " + breaker.getState()
                      + ": failing fast"));
        }
        long start = breaker.getCurrentTimestamp();
        AtomicBoolean recorded = new AtomicBoolean();
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            super.start(
                new SimpleForwardingClientCallListener<>(listener) {
                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    if (recorded.compareAndSet(false, true)) {
                      long elapsed = breaker.getCurrentTimestamp() - start;
                      if (status.isOk() || !failureCodes.contains(status.getCode())) {
                        if (status.getCode() == Status.Code.CANCELLED) {
                          breaker.releasePermission();
                        } else {
                          breaker.onSuccess(elapsed, breaker.getTimestampUnit());
                        }
                      } else {
                        breaker.onError(
                            elapsed, breaker.getTimestampUnit(), status.asRuntimeException());
                      }
                    }
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  /** A call that fails on start without touching the network. */
  private static final class FailedCall<Q, R> extends ClientCall<Q, R> {
    private final Status status;

    FailedCall(Status status) {
      this.status = status;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      listener.onClose(status, new Metadata());
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void cancel(String message, Throwable cause) {}

    @Override
    public void halfClose() {}

    @Override
    public void sendMessage(Q message) {}
  }
}
