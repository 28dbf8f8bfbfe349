/** Internals of sdk-testing's test kit; not API. */
package dev.pave.testing.internal;
