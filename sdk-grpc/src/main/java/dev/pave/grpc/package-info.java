/**
 * gRPC servers and clients with the platform built in.
 *
 * <p>Start at {@link dev.pave.grpc.PaveGrpc}: {@code PaveGrpc.from(svc).server().addService(...)}
 * for the service's server ({@code grpc.port}, {@code grpc.server.*}) and {@code
 * PaveGrpc.from(svc).channel("payments")} for a client channel ({@code grpc.clients.payments.*}).
 * Tracing, metrics, access logs, error mapping ({@link dev.pave.grpc.GrpcExceptionMapper}),
 * deadlines, load shedding, retries, circuit breakers, health, reflection and drain come with
 * them. {@link dev.pave.grpc.GrpcServer} and {@link dev.pave.grpc.GrpcChannels} can also be built
 * directly, outside a Pave service. See {@code docs/grpc.md}.
 */
package dev.pave.grpc;
