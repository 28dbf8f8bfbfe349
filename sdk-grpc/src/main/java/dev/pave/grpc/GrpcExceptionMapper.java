package dev.pave.grpc;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import java.util.Optional;
import java.util.function.Function;

/**
 * Maps an exception thrown by (or passed to {@code onError} from) a service handler to the
 * {@link Status} the caller receives. Register one with {@link GrpcServer#addExceptionMapper}. A
 * {@code StatusRuntimeException} or {@code StatusException} always keeps its own status and
 * trailers; any other exception goes to the mappers in registration order (the first non-empty
 * answer wins), then to Pave's defaults.
 *
 * <p>Pave's defaults: {@link IllegalArgumentException} becomes
 * {@code INVALID_ARGUMENT} with the exception's message; {@link java.util.concurrent.TimeoutException}
 * becomes {@code DEADLINE_EXCEEDED}; {@link UnsupportedOperationException} becomes
 * {@code UNIMPLEMENTED}; anything else becomes {@code INTERNAL} with a generic description (no
 * message, no stack trace) and is logged once at ERROR with the trace id.
 *
 * <p>Implementations must be thread-safe and must not throw.
 */
@FunctionalInterface
public interface GrpcExceptionMapper {

  /**
   * Returns the status for {@code error}, or empty to let the next mapper decide. A description
   * set on the status is sent to the caller: never put secrets or internals in it.
   */
  Optional<Status> toStatus(Throwable error);

  /** Returns a mapper for {@code type} and its subclasses. */
  static <T extends Throwable> GrpcExceptionMapper forType(
      Class<T> type, Function<? super T, Status> toStatus) {
    requireNonNull(type, "type");
    requireNonNull(toStatus, "toStatus");
    return error ->
        type.isInstance(error)
            ? Optional.of(requireNonNull(toStatus.apply(type.cast(error)), "status"))
            : Optional.empty();
  }
}
