/** Load generator measuring sdk-grpc's overhead against bare grpc-java ({@link dev.pave.benchmarks.grpc.GrpcOverheadBenchmark}). */
package dev.pave.benchmarks.grpc;
