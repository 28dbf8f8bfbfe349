/** Pave grpc module. */
package dev.pave.grpc;
