/** Extension points of sdk-logging for platform teams: fields added to every log line. */
package dev.pave.logging.spi;
