/**
 * The payments sample's gRPC API ({@code payments.v1.PaymentService}), generated from {@code
 * payments.proto}: start with {@code PaymentServiceGrpc}.
 */
package dev.pave.samples.payments.v1;
