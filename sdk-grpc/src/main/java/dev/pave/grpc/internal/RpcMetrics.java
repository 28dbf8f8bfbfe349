package dev.pave.grpc.internal;

import com.google.protobuf.MessageLite;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Micrometer meters of one side ({@code server} or {@code client}) of RPCs, named after the
 * OpenTelemetry RPC semantic conventions: {@code rpc.<side>.call.duration} (seconds, histogram),
 * {@code rpc.<side>.calls.started}, {@code rpc.<side>.request.size} and
 * {@code rpc.<side>.response.size} (bytes per message).
 *
 * <p>Written here rather than taken from Micrometer's own gRPC binder
 * ({@code MetricCollectingServerInterceptor}) because that one uses other names
 * ({@code grpc.server.processing.duration}) and records no message sizes. Meters are cached per
 * method and status code, so a call costs no registry lookup.
 */
public final class RpcMetrics {

  /** Histogram buckets of the semantic conventions for RPC durations, in seconds. */
  static final Duration[] DURATION_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(75), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofMillis(750), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofMillis(7500), Duration.ofSeconds(10)
  };

  private final MeterRegistry registry;
  private final String side;
  private final Tags commonTags;
  private final ConcurrentHashMap<String, MethodMeters> byMethod = new ConcurrentHashMap<>();

  /**
   * Creates the meters of {@code side} ("server" or "client") in {@code registry}, each with
   * {@code commonTags} besides {@code rpc.system}, {@code rpc.service} and {@code rpc.method}.
   */
  public RpcMetrics(MeterRegistry registry, String side, Tags commonTags) {
    this.registry = registry;
    this.side = side;
    this.commonTags = commonTags.and("rpc.system", "grpc");
  }

  /** Returns the (cached) meters of {@code method}. */
  public MethodMeters forMethod(MethodDescriptor<?, ?> method) {
    MethodMeters meters = byMethod.get(method.getFullMethodName());
    return meters != null
        ? meters
        : byMethod.computeIfAbsent(method.getFullMethodName(), k -> new MethodMeters(method));
  }

  /** Serialized size of a protobuf message (memoised by protobuf), or -1 for other types. */
  static long sizeOf(Object message) {
    return message instanceof MessageLite lite ? lite.getSerializedSize() : -1;
  }

  /** Meters of one method. */
  public final class MethodMeters {
    private final Tags tags;
    private final Counter started;
    private final DistributionSummary requestSize;
    private final DistributionSummary responseSize;
    private final AtomicReferenceArray<Timer> durations =
        new AtomicReferenceArray<>(Status.Code.values().length);

    private MethodMeters(MethodDescriptor<?, ?> method) {
      String service = method.getServiceName();
      this.tags =
          commonTags.and(
              "rpc.service", service == null ? "" : service,
              "rpc.method", method.getBareMethodName() == null ? "" : method.getBareMethodName());
      this.started =
          Counter.builder("rpc." + side + ".calls.started")
              .description("RPCs started")
              .tags(tags)
              .register(registry);
      this.requestSize =
          DistributionSummary.builder("rpc." + side + ".request.size")
              .description("Size of each request message (serialized, uncompressed)")
              .baseUnit("bytes")
              .tags(tags)
              .register(registry);
      this.responseSize =
          DistributionSummary.builder("rpc." + side + ".response.size")
              .description("Size of each response message (serialized, uncompressed)")
              .baseUnit("bytes")
              .tags(tags)
              .register(registry);
    }

    /** Counts a started call and returns its recording: the one place both sides measure a call. */
    public Call start() {
      started.increment();
      return new Call(this, System.nanoTime());
    }

    /** Records a request message. */
    public void request(Object message) {
      long size = sizeOf(message);
      if (size >= 0) {
        requestSize.record(size);
      }
    }

    /** Records a response message. */
    public void response(Object message) {
      long size = sizeOf(message);
      if (size >= 0) {
        responseSize.record(size);
      }
    }

    /** Records a completed call. */
    public void completed(Status.Code code, long nanos) {
      Timer timer = durations.get(code.ordinal());
      if (timer == null) {
        timer =
            Timer.builder("rpc." + side + ".call.duration")
                .description("Duration of RPCs, from start to status")
                .tags(tags)
                .tag("rpc.grpc.status_code", Integer.toString(code.value()))
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry);
        durations.set(code.ordinal(), timer);
      }
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** One call being measured: its messages, then its end, recorded once whichever side ends it. */
  public static final class Call {
    private final MethodMeters meters;
    private final long startNanos;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

    private Call(MethodMeters meters, long startNanos) {
      this.meters = meters;
      this.startNanos = startNanos;
    }

    /** Records a request message. */
    public void request(Object message) {
      meters.request(message);
    }

    /** Records a response message. */
    public void response(Object message) {
      meters.response(message);
    }

    /** Records the call's duration under {@code code}; later ends (a cancel after a close) are ignored. */
    public void end(Status.Code code) {
      if (ended.compareAndSet(false, true)) {
        meters.completed(code, System.nanoTime() - startNanos);
      }
    }
  }
}
