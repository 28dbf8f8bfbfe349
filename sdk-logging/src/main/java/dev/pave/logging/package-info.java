/**
 * Pave logging: one JSON object per line on stdout for every SLF4J event, with trace context,
 * resource fields and redaction, written through a bounded async queue that loses nothing on
 * shutdown.
 *
 * <p>Start here: nothing. Adding {@code dev.pave:sdk-logging} configures Logback; log with
 * {@code org.slf4j.LoggerFactory.getLogger(...)}, add fields with the SLF4J 2 fluent API
 * ({@code log.atInfo().addKeyValue("order.id", id).log("approved")}) or MDC. Configure it with the
 * {@code logging.*} keys of {@link dev.pave.config.Config} (see {@link LoggingSettings}); control
 * it at runtime with {@link PaveLogging}. A service with its own {@code logback.xml} includes
 * {@code <include resource="dev/pave/logging/base.xml"/>}.
 */
package dev.pave.logging;
