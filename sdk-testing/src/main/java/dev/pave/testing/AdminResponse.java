package dev.pave.testing;

import dev.pave.config.Experimental;

/**
 * A response of the service's admin server.
 *
 * @param status the HTTP status code
 * @param contentType the {@code Content-Type} header, or the empty string
 * @param body the body as text
 */
@Experimental("may gain headers")
public record AdminResponse(int status, String contentType, String body) {}
