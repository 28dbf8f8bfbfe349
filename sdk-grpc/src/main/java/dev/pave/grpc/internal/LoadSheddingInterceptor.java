package dev.pave.grpc.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Concurrency limit through a Resilience4j semaphore {@link Bulkhead} that does not wait: a call
 * beyond the limit is answered {@code RESOURCE_EXHAUSTED} at once, before its handler runs. The
 * permit is held until the call completes or is cancelled. Health checks are never shed: a probe
 * answered {@code RESOURCE_EXHAUSTED} under load would get a busy pod restarted.
 */
final class LoadSheddingInterceptor implements ServerInterceptor {

  private static final String HEALTH_SERVICE = "grpc.health.v1.Health";

  private final Bulkhead bulkhead;

  public LoadSheddingInterceptor(Bulkhead bulkhead) {
    this.bulkhead = bulkhead;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (HEALTH_SERVICE.equals(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    if (!bulkhead.tryAcquirePermission()) {
      call.close(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "server overloaded: "
                  + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
                  + " calls in flight, try again later"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return CallEnd.startThen(() -> next.startCall(call, headers), bulkhead::onComplete);
  }
}
