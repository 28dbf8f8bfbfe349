package dev.pave.core;

import dev.pave.config.Experimental;
import java.util.Map;

/** Answers a service's own admin endpoint ({@link Admin#route}). */
@Experimental("the admin route table is new")
@FunctionalInterface
public interface AdminHandler {

  /**
   * Answers one {@code GET}; runs on an admin server thread, so it must return quickly.
   *
   * @param query the query parameters, decoded (the last value of a repeated name)
   * @return the answer, never null
   * @throws Exception answered {@code 500} with no detail, and logged
   */
  AdminReply handle(Map<String, String> query) throws Exception;
}
