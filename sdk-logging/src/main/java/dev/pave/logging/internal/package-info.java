/** Implementation of Pave logging; not API. */
package dev.pave.logging.internal;
