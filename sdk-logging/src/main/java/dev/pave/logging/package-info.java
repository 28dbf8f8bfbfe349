/** Pave logging module. */
package dev.pave.logging;
