package ${package};

import ${package}.v1.GreeterGrpc;
import ${package}.v1.HelloReply;
import ${package}.v1.HelloRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Greeter API. Pave adds tracing, metrics, the access log, deadlines and the drain. */
final class GreeterService extends GreeterGrpc.GreeterImplBase {

  private static final Logger log = LoggerFactory.getLogger(GreeterService.class);

  private final ServiceConfig config;

  GreeterService(ServiceConfig config) {
    this.config = config;
  }

  @Override
  public void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
    if (request.getName().isEmpty()) {
      responseObserver.onError(
          Status.INVALID_ARGUMENT.withDescription("name must not be empty").asRuntimeException());
      return;
    }
    log.info("greeting {}", request.getName());
    responseObserver.onNext(
        HelloReply.newBuilder().setMessage(config.greeting() + ", " + request.getName()).build());
    responseObserver.onCompleted();
  }
}
