/**
 * Pave configuration: typed values from layered sources and rotating secrets.
 *
 * <p>Start with {@link dev.pave.config.Config#load()} (or {@link dev.pave.config.Config#builder()}
 * in tests), then {@link dev.pave.config.Config#bind(String, Class)} a prefix onto a record at
 * startup. Secrets are {@link dev.pave.config.Secret} values. Problems surface as one
 * {@link dev.pave.config.ConfigException} listing them all. See {@code docs/config.md}.
 */
package dev.pave.config;
