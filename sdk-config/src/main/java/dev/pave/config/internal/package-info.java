/** Implementation of dev.pave.config; not public API, may change without notice. */
package dev.pave.config.internal;
