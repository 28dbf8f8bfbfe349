/**
 * The checkout sample service: {@code checkout.v1.CheckoutService/PlaceOrder}, which authorizes
 * each order's payment with the payments sample through a Pave channel. Start with {@link
 * dev.pave.samples.checkout.CheckoutMain}; {@link dev.pave.samples.checkout.DemoClient} places a
 * few orders (samples/run.sh).
 */
package dev.pave.samples.checkout;
