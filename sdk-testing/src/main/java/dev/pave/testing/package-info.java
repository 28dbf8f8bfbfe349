/** Pave testing module. */
package dev.pave.testing;
