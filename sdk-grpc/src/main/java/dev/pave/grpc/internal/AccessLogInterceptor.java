package dev.pave.grpc.internal;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Writes one structured line per completed RPC to the logger {@value #LOGGER_NAME}: method,
 * status, duration, peer, message sizes as SLF4J key-value pairs (trace_id comes from the logging
 * context, the server span being current). The level is chosen per method or service.
 */
final class AccessLogInterceptor implements ServerInterceptor {

  /** Logger of access log lines. */
  public static final String LOGGER_NAME = dev.pave.grpc.GrpcServer.ACCESS_LOGGER;

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  private final Optional<Level> defaultLevel;
  private final Map<String, Optional<Level>> configured;
  private final ConcurrentHashMap<String, Optional<Level>> resolved = new ConcurrentHashMap<>();

  /**
   * Creates the interceptor; levels are names from {@code GrpcServerSettings.ACCESS_LOG_LEVELS},
   * keyed by full method name or service name.
   */
  public AccessLogInterceptor(String defaultLevel, Map<String, String> levels) {
    this.defaultLevel = parse(defaultLevel);
    Map<String, Optional<Level>> parsed = new ConcurrentHashMap<>();
    levels.forEach((k, v) -> parsed.put(k, parse(v)));
    this.configured = Map.copyOf(parsed);
  }

  private static Optional<Level> parse(String level) {
    return "OFF".equals(level) ? Optional.empty() : Optional.of(Level.valueOf(level));
  }

  private Optional<Level> levelFor(MethodDescriptor<?, ?> method) {
    Optional<Level> level = resolved.get(method.getFullMethodName());
    if (level != null) {
      return level;
    }
    return resolved.computeIfAbsent(
        method.getFullMethodName(),
        name -> {
          Optional<Level> byMethod = configured.get(name);
          if (byMethod != null) {
            return byMethod;
          }
          Optional<Level> byService = configured.get(method.getServiceName());
          return byService != null ? byService : defaultLevel;
        });
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Optional<Level> level = levelFor(call.getMethodDescriptor());
    if (level.isEmpty() || !LOG.isEnabledForLevel(level.get())) {
      return next.startCall(call, headers);
    }
    Entry<Q, R> entry = new Entry<>(call, level.get());
    return new SimpleForwardingServerCallListener<>(next.startCall(entry, headers)) {
      @Override
      public void onMessage(Q message) {
        long size = RpcMetrics.sizeOf(message);
        if (size > 0) {
          entry.requestBytes += size; // listener callbacks are serialized: one writer
        }
        super.onMessage(message);
      }

      @Override
      public void onCancel() {
        // The call ended without a server close: with the status the transport ended it with
        // (TransportStatus). A peer that reset the stream is DEBUG, so that a peer resetting
        // streams cannot write an INFO line each (security report D9); metrics still count it.
        Status status = TransportStatus.ofCancelledCall();
        entry.log(status, status.getCode() != Status.Code.CANCELLED ? entry.level
            : entry.level == Level.TRACE ? Level.TRACE : Level.DEBUG);
        super.onCancel();
      }
    };
  }

  private static final class Entry<Q, R> extends SimpleForwardingServerCall<Q, R> {
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Entry> LOGGED =
        AtomicIntegerFieldUpdater.newUpdater(Entry.class, "logged");
    private final long start = System.nanoTime();
    final Level level;
    private volatile int logged;
    // Each has one writer at a time (gRPC serializes listener callbacks, and sendMessage must not
    // be called concurrently); volatile so that close or onCancel on another thread sees them.
    volatile long requestBytes;
    private volatile long responseBytes;

    Entry(ServerCall<Q, R> call, Level level) {
      super(call);
      this.level = level;
    }

    @Override
    public void sendMessage(R message) {
      long size = RpcMetrics.sizeOf(message);
      if (size > 0) {
        responseBytes += size;
      }
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      try {
        super.close(status, trailers);
      } finally {
        // After the response is on its way: the access log never delays it.
        log(status, level);
      }
    }

    void log(Status status, Level level) {
      if (!LOGGED.compareAndSet(this, 0, 1)) {
        return;
      }
      // Milliseconds with microsecond precision, without String.format on the hot path.
      double millis = (System.nanoTime() - start) / 1_000 / 1_000.0;
      MethodDescriptor<Q, R> method = getMethodDescriptor();
      SocketAddress peer = getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      String peerText = peer == null ? "" : peer.toString();
      if (peerText.startsWith("/")) {
        peerText = peerText.substring(1);
      }
      var line =
          LOG.atLevel(level)
              .addKeyValue("rpc.service", method.getServiceName())
              .addKeyValue("rpc.method", method.getBareMethodName())
              .addKeyValue("rpc.grpc.status_code", status.getCode().name())
              .addKeyValue("duration_ms", millis)
              .addKeyValue("peer", peerText)
              .addKeyValue("request_bytes", requestBytes)
              .addKeyValue("response_bytes", responseBytes);
      if (status.getDescription() != null && !status.isOk()) {
        line = line.addKeyValue("grpc_status_description", status.getDescription());
      }
      // Built here rather than as a "{}" pattern: no argument array, no pattern parsing per call.
      line.log("gRPC " + method.getFullMethodName() + ' ' + status.getCode() + " in " + millis + " ms");
    }
  }
}
