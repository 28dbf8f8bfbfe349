/**
 * Extension points of sdk-core, loaded with {@link java.util.ServiceLoader}. Services do not
 * implement them; Pave's own modules (sdk-testing) do.
 */
package dev.pave.core.spi;
