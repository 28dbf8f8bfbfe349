package dev.pave.grpc.internal;

import dev.pave.grpc.GrpcExceptionMapper;
import dev.pave.grpc.GrpcServerSettings;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Pave's server chain, assembled in one place (design review A12): the services (each method's
 * request marshaller guarded), health and reflection, and the interceptors in their order. Here,
 * rather than in the public {@code GrpcServer}, so that the interceptors need not be public.
 *
 * <p>Order, outermost first: tracing, metrics, access log, default deadline, error mapping, load
 * shedding (with a limit), request parsing; below them a stream tracer for calls the transport ends.
 */
public final class ServerChain {

  private ServerChain() {}

  /** Adds the services and Pave's interceptors to {@code builder}. */
  public static void install(
      NettyServerBuilder builder,
      GrpcServerSettings settings,
      List<ServerServiceDefinition> services,
      HealthStatusManager health,
      List<GrpcExceptionMapper> exceptionMappers,
      MeterRegistry meterRegistry,
      OpenTelemetry openTelemetry,
      ScheduledExecutorService deadlines) {
    // Every method's request marshaller is wrapped, so a request that cannot be parsed becomes a
    // recorded INVALID_ARGUMENT or RESOURCE_EXHAUSTED (RequestParsing says why).
    services.forEach(service -> builder.addService(RequestParsing.guard(service)));
    builder.addService(RequestParsing.guard(health.getHealthService().bindService()));
    if (settings.reflectionEnabled()) {
      builder.addService(RequestParsing.guard(ProtoReflectionServiceV1.newInstance().bindService()));
      builder.addService(RequestParsing.guard(reflectionV1alpha().bindService()));
    }
    // ServerBuilder runs interceptors in the reverse order of addition: innermost first.
    builder.intercept(new RequestParsing()); // innermost: its close goes through every other one
    builder.addStreamTracerFactory(new TransportStatus()); // how a call ended without a server close
    settings
        .maxConcurrentCalls()
        .ifPresent(limit -> builder.intercept(new LoadSheddingInterceptor(bulkhead(limit, meterRegistry))));
    builder.intercept(new ErrorMappingInterceptor(new ExceptionMapping(exceptionMappers)));
    // Outside the error mapping: the default deadline's close and every other close go through
    // one lock (DefaultDeadlineInterceptor says why); inside the access log and metrics.
    builder.intercept(new DefaultDeadlineInterceptor(settings.defaultDeadline(), deadlines));
    builder.intercept(new AccessLogInterceptor(settings.accessLogLevel(), settings.accessLogMethodLevels()));
    builder.intercept(new ServerMetricsInterceptor(new RpcMetrics(meterRegistry, "server", Tags.empty())));
    builder.intercept(new GrpcTracing(openTelemetry).serverInterceptor());
  }

  @SuppressWarnings("deprecation")
  private static BindableService reflectionV1alpha() {
    // v1alpha is deprecated in grpc-java, but grpcurl and grpcui releases before 1.9 only speak
    // v1alpha: serve both, as grpc-java's own examples do.
    return ProtoReflectionService.newInstance();
  }

  private static Bulkhead bulkhead(int limit, MeterRegistry meterRegistry) {
    BulkheadRegistry registry =
        BulkheadRegistry.of(
            BulkheadConfig.custom().maxConcurrentCalls(limit).maxWaitDuration(Duration.ZERO).build());
    // resilience4j.bulkhead.available.concurrent.calls / max.allowed.concurrent.calls {name=grpc-server}
    TaggedBulkheadMetrics.ofBulkheadRegistry(registry).bindTo(meterRegistry);
    return registry.bulkhead("grpc-server");
  }
}
