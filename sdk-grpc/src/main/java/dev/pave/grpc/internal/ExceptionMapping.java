package dev.pave.grpc.internal;

import dev.pave.grpc.GrpcExceptionMapper;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a handler's exception into the status and trailers the caller receives; see {@link GrpcExceptionMapper}. */
final class ExceptionMapping {

  /** Logger of uncaught handler exceptions. */
  public static final String LOGGER_NAME = dev.pave.grpc.GrpcServer.ERROR_LOGGER;

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  /** The outcome: what the caller receives. */
  public record Mapped(Status status, Metadata trailers) {}

  private final List<GrpcExceptionMapper> mappers;

  public ExceptionMapping(List<GrpcExceptionMapper> mappers) {
    this.mappers = List.copyOf(mappers);
  }

  /**
   * Maps {@code error} thrown by the handler of {@code fullMethod}; an unmapped error is logged
   * once here (ERROR, with the exception) and recorded on the current span.
   */
  public Mapped map(String fullMethod, Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof StatusRuntimeException sre) {
      return new Mapped(sre.getStatus(), trailersOf(sre.getTrailers()));
    }
    if (cause instanceof StatusException se) {
      return new Mapped(se.getStatus(), trailersOf(se.getTrailers()));
    }
    for (GrpcExceptionMapper mapper : mappers) {
      Optional<Status> status = mapper.toStatus(cause);
      if (status.isPresent()) {
        return new Mapped(status.get(), new Metadata());
      }
    }
    if (cause instanceof IllegalArgumentException) {
      return new Mapped(Status.INVALID_ARGUMENT.withDescription(cause.getMessage()), new Metadata());
    }
    if (cause instanceof TimeoutException) {
      return new Mapped(Status.DEADLINE_EXCEEDED.withDescription("timed out"), new Metadata());
    }
    if (cause instanceof UnsupportedOperationException) {
      return new Mapped(Status.UNIMPLEMENTED.withDescription("not implemented"), new Metadata());
    }
    if (cause instanceof CancellationException) {
      return new Mapped(Status.CANCELLED.withDescription("cancelled"), new Metadata());
    }
    Span span = Span.current();
    span.recordException(cause);
    span.setStatus(StatusCode.ERROR);
    SpanContext spanContext = span.getSpanContext();
    String traceId = spanContext.isValid() ? spanContext.getTraceId() : "";
    LOG.atError()
        .addKeyValue("rpc.method_full", fullMethod)
        .setCause(cause)
        .log("gRPC {} failed with an uncaught exception; answered INTERNAL", fullMethod);
    String description = traceId.isEmpty() ? "internal error" : "internal error; trace_id=" + traceId;
    return new Mapped(Status.INTERNAL.withDescription(description), new Metadata());
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static Metadata trailersOf(Metadata trailers) {
    return trailers == null ? new Metadata() : trailers;
  }
}
