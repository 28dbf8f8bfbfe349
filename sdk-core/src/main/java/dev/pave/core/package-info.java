/** Pave core module. */
package dev.pave.core;
