package dev.pave.core.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.LongSupplier;

/**
 * sdk-logging's counters as meters: {@code pave_logging_dropped_events_total} (events the log queue
 * dropped, see {@code PaveLogging.droppedEvents()}) and {@code pave_logging_peer_stream_errors_total}
 * (see {@code PaveLogging.peerStreamErrors()}).
 */
final class LoggingMetrics implements MeterBinder {

  private final LongSupplier dropped;
  private final LongSupplier peerStreamErrors;

  LoggingMetrics(LongSupplier dropped, LongSupplier peerStreamErrors) {
    this.dropped = dropped;
    this.peerStreamErrors = peerStreamErrors;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("pave.logging.dropped.events", dropped, LongSupplier::getAsLong)
        .description("Log events dropped because the asynchronous logging queue was full")
        .register(registry);
    FunctionCounter.builder("pave.logging.peer.stream.errors", peerStreamErrors, LongSupplier::getAsLong)
        .description("Malformed HTTP/2 streams from peers, refused by the gRPC transport and counted instead of logged")
        .register(registry);
  }
}
