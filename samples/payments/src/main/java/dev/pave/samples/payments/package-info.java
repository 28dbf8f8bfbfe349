/**
 * The payments sample service: {@code payments.v1.PaymentService/Authorize} on Pave. Start with
 * {@link dev.pave.samples.payments.PaymentsMain}: its {@code setup} is the whole platform wiring.
 */
package dev.pave.samples.payments;
