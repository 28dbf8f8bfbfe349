/** Implementation of sdk-grpc: interceptors, metrics, configuration binding. Not public API. */
package dev.pave.grpc.internal;
