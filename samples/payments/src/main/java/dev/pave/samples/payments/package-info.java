/** The payments sample service. */
package dev.pave.samples.payments;
