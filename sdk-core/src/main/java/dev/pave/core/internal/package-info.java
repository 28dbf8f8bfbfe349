/**
 * Implementation of sdk-core; not public API and may change in any release. The startup and
 * shutdown order are in {@link dev.pave.core.internal.ServiceRuntime}.
 */
package dev.pave.core.internal;
