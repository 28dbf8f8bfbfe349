package dev.pave.benchmarks.grpc;

import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;

/** The handler every gRPC benchmark hosts: echoes the request's message back. */
final class EchoService extends SimpleServiceGrpc.SimpleServiceImplBase {
  @Override
  public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> observer) {
    observer.onNext(
        SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage()).build());
    observer.onCompleted();
  }
}
