package dev.pave.core;

import dev.pave.config.Experimental;

/**
 * The service's own endpoints on the admin port, beside Pave's ({@link ServiceContext#admin()}):
 * for operational views an on-call engineer needs, such as a cache's size or which feature flags
 * are on, without a second server.
 *
 * <p>Only {@code GET}: the admin port has no authentication, so what can change the service stays
 * closed by default (Pave's own {@code POST /loglevel} is off unless enabled). A route's answer is
 * served as it is, so it must hold nothing secret. A handler that throws is logged and answered
 * {@code 500} with no detail.
 */
@Experimental("the admin route table is new; request headers and other methods may be added")
public interface Admin {

  /**
   * Serves {@code GET path} with {@code handler} from now on.
   *
   * @param path {@code /} then letters, digits, {@code -}, {@code _}, {@code .} or {@code /}, at
   *     most 100 characters, such as {@code /cachez}
   * @throws IllegalArgumentException if the path is malformed, is one of Pave's ({@code /livez},
   *     {@code /readyz}, {@code /startupz}, {@code /prestop}, {@code /metrics}, {@code /info},
   *     {@code /config}, {@code /loglevel}) or was added before
   */
  void route(String path, AdminHandler handler);
}
