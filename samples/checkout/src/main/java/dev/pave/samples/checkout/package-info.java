/** The checkout sample service. */
package dev.pave.samples.checkout;
