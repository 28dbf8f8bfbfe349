package dev.pave.grpc;

import dev.pave.grpc.test.EchoReply;
import dev.pave.grpc.test.EchoRequest;
import dev.pave.grpc.test.TestServiceGrpc;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The test service: echoes, sleeps, fails or forwards as the request asks. */
final class EchoService extends TestServiceGrpc.TestServiceImplBase {

  static final String LOGGER = "test.echo";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final String name;
  private final Channel downstream;
  final AtomicInteger invocations = new AtomicInteger();
  volatile long lastDownstreamDeadlineMillis = -1;
  volatile String lastTenantBaggage;

  EchoService(String name, Channel downstream) {
    this.name = name;
    this.downstream = downstream;
  }

  @Override
  public void echo(EchoRequest request, StreamObserver<EchoReply> responseObserver) {
    invocations.incrementAndGet();
    lastTenantBaggage = Baggage.current().getEntryValue("tenant");
    LOG.info("{} handling echo '{}'", name, request.getMessage());
    Deadline deadline = Context.current().getDeadline();
    long deadlineMillis = deadline == null ? -1 : deadline.timeRemaining(TimeUnit.MILLISECONDS);
    if (request.getDelayMillis() > 0 && request.getHops() == 0) {
      // Simulates slow work in the handler (not a wait for a condition).
      try {
        Thread.sleep(request.getDelayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    switch (request.getFail()) {
      case "illegal-argument" -> throw new IllegalArgumentException("amount must be positive");
      case "runtime" -> throw new IllegalStateException("secret-db-password=hunter2 in " + name);
      case "on-error" -> {
        responseObserver.onError(new IllegalStateException("passed to onError in " + name));
        return;
      }
      case "unavailable" -> throw Status.UNAVAILABLE.withDescription("try later").asRuntimeException();
      case "" -> {}
      default -> throw new IllegalArgumentException("unknown fail mode " + request.getFail());
    }
    EchoReply reply;
    if (request.getHops() > 0) {
      if (downstream == null) {
        throw new IllegalArgumentException(name + " has no downstream");
      }
      if (request.getForwardDelayMillis() > 0) {
        try {
          Thread.sleep(request.getForwardDelayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Deadline propagated = Context.current().getDeadline();
      lastDownstreamDeadlineMillis =
          propagated == null ? -1 : propagated.timeRemaining(TimeUnit.MILLISECONDS);
      EchoReply downstreamReply =
          TestServiceGrpc.newBlockingStub(downstream)
              .echo(request.toBuilder().setHops(request.getHops() - 1).build());
      reply = downstreamReply.toBuilder().setServedBy(name).build();
    } else {
      reply =
          EchoReply.newBuilder()
              .setMessage(request.getMessage())
              .setPayload(request.getPayload())
              .setServedBy(name)
              .setTraceId(Span.current().getSpanContext().getTraceId())
              .setDeadlineMillis(deadlineMillis)
              .build();
    }
    responseObserver.onNext(reply);
    responseObserver.onCompleted();
  }
}
