package dev.pave.grpc.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * OpenTelemetry tracing of gRPC calls: a SERVER span per call continuing the caller's context
 * (W3C {@code traceparent}, {@code tracestate}, baggage: whatever the configured propagators
 * read), a CLIENT span per outgoing call injecting it; named {@code package.Service/Method}, with
 * the RPC semantic-convention attributes {@code rpc.system}, {@code rpc.service}, {@code
 * rpc.method}, {@code rpc.grpc.status_code} and {@code network.peer.address}/{@code
 * network.peer.port} (server) or {@code server.address}/{@code server.port} (client). The span is
 * current in every listener callback, so logs written by the handler carry its trace id.
 *
 * <p>Written here instead of using OpenTelemetry's {@code opentelemetry-grpc-1.6} library
 * instrumentation, for a measured reason: that library's {@code Instrumenter} extracts RPC and
 * network attributes and records its own RPC metrics for every call, sampled or not (about 14% of
 * CPU samples in a profile of the lean benchmark run). In an A/B run of the same interceptor
 * chain on the sdk-grpc load generator's workload, this class instead of the library gave
 * 1.13-1.55x the throughput (docs/benchmarks.md). Pave records RPC metrics with Micrometer
 * already. The {@code io.grpc.Context} to OpenTelemetry context bridge comes from grpc-java's own
 * {@code grpc-context-override-opentelemetry}.
 */
public final class GrpcTracing {

  private static final String INSTRUMENTATION_NAME = "dev.pave.grpc";
  private static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  private static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  private static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  private static final AttributeKey<Long> RPC_GRPC_STATUS_CODE =
      AttributeKey.longKey("rpc.grpc.status_code");
  private static final AttributeKey<String> NETWORK_PEER_ADDRESS =
      AttributeKey.stringKey("network.peer.address");
  private static final AttributeKey<Long> NETWORK_PEER_PORT =
      AttributeKey.longKey("network.peer.port");
  private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  /** Codes that mark a SERVER span as an error (RPC semantic conventions for gRPC). */
  private static final Set<Status.Code> SERVER_ERROR_CODES =
      EnumSet.of(
          Status.Code.UNKNOWN,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.UNIMPLEMENTED,
          Status.Code.INTERNAL,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  private static final ConcurrentHashMap<String, Metadata.Key<String>> KEYS =
      new ConcurrentHashMap<>();

  private static Metadata.Key<String> key(String name) {
    Metadata.Key<String> key = KEYS.get(name);
    return key != null
        ? key
        : KEYS.computeIfAbsent(name, k -> Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER));
  }

  private static final TextMapGetter<Metadata> GETTER =
      new TextMapGetter<>() {
        // Deprecated in the API but still abstract; the W3C propagators never call it.
        @Override
        @SuppressWarnings("deprecation")
        public Iterable<String> keys(Metadata carrier) {
          return carrier.keys();
        }

        @Override
        public String get(Metadata carrier, String name) {
          if (carrier == null || name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
            return null;
          }
          return carrier.get(key(name));
        }
      };

  private static final TextMapSetter<Metadata> SETTER =
      (carrier, name, value) -> {
        if (carrier != null) {
          carrier.put(key(name), value);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  public GrpcTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  private SpanBuilder spanBuilder(MethodDescriptor<?, ?> method, SpanKind kind) {
    SpanBuilder builder =
        tracer
            .spanBuilder(method.getFullMethodName())
            .setSpanKind(kind)
            .setAttribute(RPC_SYSTEM, "grpc");
    String service = method.getServiceName();
    if (service != null) {
      builder.setAttribute(RPC_SERVICE, service);
    }
    String bare = method.getBareMethodName();
    if (bare != null) {
      builder.setAttribute(RPC_METHOD, bare);
    }
    return builder;
  }

  /** The server interceptor; outermost of Pave's server interceptors. */
  public ServerInterceptor serverInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        // Context.current() holds this call's io.grpc.Context (deadline, cancellation) through
        // the bridge; the caller's trace context joins it.
        Context parent = propagator.extract(Context.current(), headers, GETTER);
        Span span =
            spanBuilder(call.getMethodDescriptor(), SpanKind.SERVER).setParent(parent).startSpan();
        if (span.isRecording()) {
          SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
          if (remote instanceof InetSocketAddress inet) {
            span.setAttribute(NETWORK_PEER_ADDRESS, inet.getHostString());
            span.setAttribute(NETWORK_PEER_PORT, (long) inet.getPort());
          }
        }
        Context context = parent.with(span);
        AtomicBoolean ended = new AtomicBoolean();
        ServerCall<Q, R> traced =
            new SimpleForwardingServerCall<>(call) {
              @Override
              public void close(Status status, Metadata trailers) {
                try {
                  super.close(status, trailers);
                } finally {
                  end(span, ended, status, SERVER_ERROR_CODES.contains(status.getCode()));
                }
              }
            };
        ServerCall.Listener<Q> listener;
        try (Scope ignored = context.makeCurrent()) {
          listener = next.startCall(traced, headers);
        } catch (RuntimeException | Error e) {
          end(span, ended, Status.UNKNOWN, true);
          throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
          @Override
          public void onMessage(Q message) {
            try (Scope ignored = context.makeCurrent()) {
              super.onMessage(message);
            }
          }

          @Override
          public void onHalfClose() {
            try (Scope ignored = context.makeCurrent()) {
              super.onHalfClose();
            }
          }

          @Override
          public void onReady() {
            try (Scope ignored = context.makeCurrent()) {
              super.onReady();
            }
          }

          @Override
          public void onComplete() {
            try (Scope ignored = context.makeCurrent()) {
              super.onComplete();
            }
          }

          @Override
          public void onCancel() {
            try (Scope ignored = context.makeCurrent()) {
              super.onCancel();
            } finally {
              // The call ended before the handler answered (TransportStatus says how).
              end(span, ended, TransportStatus.ofCancelledCall(), false);
            }
          }
        };
      }
    };
  }

  /** The client interceptor; outermost of Pave's client interceptors. */
  public ClientInterceptor clientInterceptor() {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        Context parent = Context.current();
        SpanBuilder builder = spanBuilder(method, SpanKind.CLIENT).setParent(parent);
        String authority = next.authority();
        if (authority != null) {
          int colon = authority.lastIndexOf(':');
          if (colon > 0 && colon < authority.length() - 1 && authority.indexOf(']') < colon) {
            builder.setAttribute(SERVER_ADDRESS, authority.substring(0, colon));
            try {
              builder.setAttribute(SERVER_PORT, Long.parseLong(authority.substring(colon + 1)));
            } catch (NumberFormatException notAPort) {
              // An authority without a numeric port: the address alone is still useful.
            }
          } else {
            builder.setAttribute(SERVER_ADDRESS, authority);
          }
        }
        Span span = builder.startSpan();
        Context context = parent.with(span);
        AtomicBoolean ended = new AtomicBoolean();
        ClientCall<Q, R> call;
        try (Scope ignored = context.makeCurrent()) {
          call = next.newCall(method, options);
        } catch (RuntimeException | Error e) {
          end(span, ended, Status.UNKNOWN, true);
          throw e;
        }
        return new SimpleForwardingClientCall<>(call) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            propagator.inject(context, headers, SETTER);
            try (Scope ignored = context.makeCurrent()) {
              super.start(
                  new SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onMessage(R message) {
                      try (Scope ignored = context.makeCurrent()) {
                        super.onMessage(message);
                      }
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                      end(span, ended, status, !status.isOk());
                      try (Scope ignored = context.makeCurrent()) {
                        super.onClose(status, trailers);
                      }
                    }
                  },
                  headers);
            } catch (RuntimeException | Error e) {
              end(span, ended, Status.UNKNOWN, true);
              throw e;
            }
          }
        };
      }
    };
  }

  private static void end(Span span, AtomicBoolean ended, Status status, boolean error) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    span.setAttribute(RPC_GRPC_STATUS_CODE, (long) status.getCode().value());
    if (error) {
      // The code name only: a status description may carry text not meant for the trace backend.
      span.setStatus(StatusCode.ERROR, status.getCode().name());
    }
    span.end();
  }
}
