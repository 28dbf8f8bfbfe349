package dev.pave.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pave.config.Experimental;
import java.util.Objects;

/**
 * What a service's admin endpoint answers ({@link AdminHandler}).
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}
 * @param body the body, sent as UTF-8
 */
@Experimental("the admin route table is new")
public record AdminReply(int status, String contentType, String body) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public AdminReply {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("admin reply status must be in [200, 599], was " + status);
    }
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** {@code 200}, {@code text/plain; charset=utf-8}. */
  public static AdminReply text(String body) {
    return new AdminReply(200, "text/plain; charset=utf-8", body);
  }

  /**
   * {@code 200}, {@code application/json}: {@code value} (a map, a list, a record, a string or a
   * number) as Jackson writes it.
   *
   * @throws IllegalArgumentException if Jackson cannot write it
   */
  public static AdminReply json(Object value) {
    try {
      return new AdminReply(200, "application/json", JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("admin reply cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
