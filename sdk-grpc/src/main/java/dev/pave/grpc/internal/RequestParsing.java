package dev.pave.grpc.internal;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a request message that cannot be parsed an answered call that the access log and metrics
 * record, instead of grpc-java's {@code UNKNOWN "Application error processing RPC"}, an ERROR with a
 * stack trace per call, and no access line or duration (security report D13, D10).
 *
 * <p>grpc-java parses a request before any interceptor sees it, and closes the stream itself when
 * parsing throws, past every interceptor. So each method's request marshaller is wrapped ({@link
 * #guard}): a parse that throws returns a stand-in instead, and this interceptor, the innermost,
 * closes the call with the status the client should see: {@code RESOURCE_EXHAUSTED} when the
 * message decompresses past {@code grpc.server.max-inbound-message-size} (a gzip bomb), {@code
 * INVALID_ARGUMENT} for bytes that are not the request type. The stand-in passes through the outer
 * interceptors' listeners, which forward messages without reading them, and never reaches a service.
 * No well-kept library does this for grpc-java, hence by hand.
 */
final class RequestParsing implements ServerInterceptor {

  /** Stands in for a request that could not be parsed; never reaches a service. */
  private record Unparseable(Status status) {}

  /** The service with every method's request marshaller wrapped; schema descriptors kept (reflection). */
  public static ServerServiceDefinition guard(ServerServiceDefinition service) {
    ServiceDescriptor descriptor = service.getServiceDescriptor();
    ServiceDescriptor.Builder guardedDescriptor = ServiceDescriptor.newBuilder(descriptor.getName())
        .setSchemaDescriptor(descriptor.getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> guarded = guard(method);
      guardedDescriptor.addMethod(guarded.getMethodDescriptor());
      methods.add(guarded);
    }
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(guardedDescriptor.build());
    methods.forEach(builder::addMethod);
    return builder.build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> guard(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
    MethodDescriptor.Marshaller<Q> marshaller = descriptor.getRequestMarshaller();
    MethodDescriptor.Marshaller<Q> guarded = marshaller instanceof MethodDescriptor.PrototypeMarshaller<Q> prototype
        ? new GuardedPrototype<>(prototype)
        : new Guarded<>(marshaller);
    return ServerMethodDefinition.create(
        descriptor.toBuilder().setRequestMarshaller(guarded).build(), method.getServerCallHandler());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private boolean rejected; // listener callbacks are serialized: one writer

      @Override
      public void onMessage(Q message) {
        if (rejected) {
          return;
        }
        if (message instanceof Unparseable unparseable) {
          rejected = true;
          call.close(unparseable.status(), new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!rejected) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!rejected) {
          super.onReady();
        }
      }
    };
  }

  /** The status a client gets for a request that failed to parse; never echoes its bytes. */
  static Status statusOf(RuntimeException e) {
    if (e instanceof StatusRuntimeException sre && sre.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
      return Status.RESOURCE_EXHAUSTED.withDescription(sre.getStatus().getDescription());
    }
    return Status.INVALID_ARGUMENT.withDescription("the request message could not be parsed");
  }

  private static class Guarded<Q> implements MethodDescriptor.Marshaller<Q> {
    final MethodDescriptor.Marshaller<Q> delegate;

    Guarded(MethodDescriptor.Marshaller<Q> delegate) {
      this.delegate = delegate;
    }

    @Override
    public InputStream stream(Q value) {
      return delegate.stream(value);
    }

    @Override
    @SuppressWarnings("unchecked") // erased: the stand-in goes to RequestParsing's listener, no further
    public Q parse(InputStream stream) {
      try {
        return delegate.parse(stream);
      } catch (RuntimeException e) {
        return (Q) new Unparseable(statusOf(e));
      }
    }
  }

  private static final class GuardedPrototype<Q> extends Guarded<Q> implements MethodDescriptor.PrototypeMarshaller<Q> {
    GuardedPrototype(MethodDescriptor.PrototypeMarshaller<Q> delegate) {
      super(delegate);
    }

    @Override
    public Q getMessagePrototype() {
      return ((MethodDescriptor.PrototypeMarshaller<Q>) delegate).getMessagePrototype();
    }

    @Override
    public Class<Q> getMessageClass() {
      return ((MethodDescriptor.PrototypeMarshaller<Q>) delegate).getMessageClass();
    }
  }
}
