package dev.pave.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pave.core.LifecycleState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server on its own port, on the JDK's built-in {@code com.sun.net.httpserver}
 * (no dependency, starts in a few milliseconds; probes and scrapes need nothing more).
 *
 * <p>Endpoints: {@code GET /livez /readyz /startupz} (with {@code ?verbose} JSON), {@code GET
 * /prestop}, {@code GET /metrics}, {@code GET /info}, {@code GET /config} (only when exposed),
 * {@code POST /loglevel}. Unknown paths get 404, wrong methods 405 with {@code Allow}, request
 * bodies over {@value #MAX_BODY_BYTES} bytes 413, request targets over {@value #MAX_URI_CHARS}
 * characters 414. A failure inside a handler is logged and answered with a plain 500: never a
 * stack trace.
 */
public final class AdminServer {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  static final int MAX_BODY_BYTES = 8 * 1024;
  static final int MAX_URI_CHARS = 2048;
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /** What the endpoints read and do; implemented by the service runtime. */
  public interface Backend {
    LifecycleState state();

    HealthRegistry health();

    /** Enters DRAINING and returns after the drain delay (at once if already stopping). */
    void preStop();

    /** Writes a metrics scrape, returning its content type. */
    String scrape(String accept, OutputStream out) throws IOException;

    Map<String, Object> info();

    /** The effective configuration with provenance, secrets masked; null when not exposed. */
    List<Map<String, Object>> configEntries();

    /** Changes a logger's level; level null resets it; ttl null means until changed again. */
    void setLogLevel(String logger, String level, Duration ttl);
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Backend backend;

  private AdminServer(HttpServer server, ExecutorService executor, Backend backend) {
    this.server = server;
    this.executor = executor;
    this.backend = backend;
  }

  /** Binds and starts the server; port 0 picks a free port (see {@link #address()}). */
  public static AdminServer start(String host, int port, Backend backend) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
    // A few threads: /prestop holds one for the whole drain delay, probes must still be answered.
    ExecutorService executor = Executors.newFixedThreadPool(4, DaemonThreads.named("pave-admin"));
    AdminServer admin = new AdminServer(server, executor, backend);
    server.createContext("/", admin::handle);
    server.setExecutor(executor);
    server.start();
    return admin;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops accepting and closes the server, waiting at most about a second for exchanges. */
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      try {
        route(exchange);
      } catch (BadRequest e) {
        if (e.status == 413 || e.status == 414) {
          // The rest of the request was not read: the connection cannot be reused for another one.
          exchange.getResponseHeaders().set("Connection", "close");
        }
        send(exchange, e.status, TEXT, e.getMessage() + "\n");
      } catch (RuntimeException | IOException | LinkageError e) {
        log.error("admin endpoint {} failed", exchange.getRequestURI().getPath(), e);
        send(exchange, 500, TEXT, "internal error\n");
      }
    } catch (IOException | RuntimeException e) {
      // The client went away while we answered; nothing left to tell it.
      log.debug("admin response not delivered: {}", e.toString());
    }
  }

  private void route(HttpExchange exchange) throws IOException, BadRequest {
    String rawUri = exchange.getRequestURI().toString();
    if (rawUri.length() > MAX_URI_CHARS) {
      throw new BadRequest(414, "request target longer than " + MAX_URI_CHARS + " characters");
    }
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    String allowed;
    switch (path) {
      case "/livez":
      case "/readyz":
      case "/startupz":
      case "/prestop":
      case "/metrics":
      case "/info":
      case "/config":
        allowed = "GET";
        break;
      case "/loglevel":
        allowed = "POST";
        break;
      default:
        readBody(exchange);
        throw new BadRequest(404, "not found: " + sanitize(path));
    }
    byte[] body = readBody(exchange);
    if (!allowed.equals(method)) {
      exchange.getResponseHeaders().set("Allow", allowed);
      throw new BadRequest(405, "method " + sanitize(method) + " not allowed on " + path + "; use " + allowed);
    }
    Map<String, String> query = parseForm(exchange.getRequestURI().getRawQuery());
    switch (path) {
      case "/livez":
        probe(exchange, query, backend.health().isLive(), HealthRegistry.Kind.LIVENESS);
        break;
      case "/readyz":
        probe(exchange, query, backend.health().isReady(), HealthRegistry.Kind.READINESS);
        break;
      case "/startupz":
        startup(exchange, query);
        break;
      case "/prestop":
        backend.preStop();
        send(exchange, 200, TEXT, "drained; state " + backend.state() + "\n");
        break;
      case "/metrics":
        metrics(exchange);
        break;
      case "/info":
        sendJson(exchange, 200, backend.info());
        break;
      case "/config":
        List<Map<String, Object>> entries = backend.configEntries();
        if (entries == null) {
          throw new BadRequest(404, "not found: /config (set admin.expose-config=true to expose it)");
        }
        sendJson(exchange, 200, Map.of("entries", entries));
        break;
      case "/loglevel":
        logLevel(exchange, query, body);
        break;
      default:
        throw new BadRequest(404, "not found: " + sanitize(path));
    }
  }

  private void probe(HttpExchange exchange, Map<String, String> query, boolean ok, HealthRegistry.Kind kind)
      throws IOException {
    int status = ok ? 200 : 503;
    if (!query.containsKey("verbose")) {
      send(exchange, status, TEXT, ok ? "ok\n" : "unavailable\n");
      return;
    }
    List<Map<String, Object>> checks = new ArrayList<>();
    for (HealthRegistry.CheckStatus check : backend.health().snapshot(kind)) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", check.name());
      c.put("status", check.status().name());
      c.put("durationMs", check.lastDuration().toMillis());
      c.put("error", check.error());
      c.put("checkedAt", check.checkedAt() == null ? null : check.checkedAt().toString());
      checks.add(c);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", ok ? "UP" : "DOWN");
    json.put("state", backend.state().name());
    json.put("checks", checks);
    sendJson(exchange, status, json);
  }

  private void startup(HttpExchange exchange, Map<String, String> query) throws IOException {
    LifecycleState state = backend.state();
    boolean started = state != LifecycleState.STARTING && state != LifecycleState.FAILED;
    if (query.containsKey("verbose")) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("status", started ? "UP" : "DOWN");
      json.put("state", state.name());
      sendJson(exchange, started ? 200 : 503, json);
    } else {
      send(exchange, started ? 200 : 503, TEXT, started ? "ok\n" : "starting\n");
    }
  }

  private void metrics(HttpExchange exchange) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    String contentType = backend.scrape(exchange.getRequestHeaders().getFirst("Accept"), out);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(200, out.size());
    try (OutputStream body = exchange.getResponseBody()) {
      out.writeTo(body);
    }
  }

  private void logLevel(HttpExchange exchange, Map<String, String> query, byte[] body) throws IOException, BadRequest {
    Map<String, String> params = new LinkedHashMap<>(query);
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (body.length > 0) {
      if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
        params.putAll(parseJsonObject(body));
      } else {
        params.putAll(parseForm(new String(body, StandardCharsets.UTF_8)));
      }
    }
    String logger = params.get("logger");
    if (logger == null || logger.isBlank()) {
      throw new BadRequest(400, "field 'logger' is required (a logger name, or ROOT)");
    }
    String level = params.get("level");
    if (level != null && !level.isBlank()) {
      level = level.trim().toUpperCase(Locale.ROOT);
      if (!LEVELS.contains(level)) {
        throw new BadRequest(400, "field 'level' must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF"
            + " (or empty to reset), was '" + sanitize(params.get("level")) + "'");
      }
    } else {
      level = null;
    }
    Duration ttl = null;
    String ttlText = params.get("ttl");
    if (ttlText != null && !ttlText.isBlank()) {
      ttl = parseTtl(ttlText.trim());
    }
    backend.setLogLevel(logger.trim(), level, ttl);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("logger", logger.trim());
    json.put("level", level);
    json.put("ttl", ttl == null ? null : ttl.toString());
    sendJson(exchange, 200, json);
  }

  /** ISO-8601 ({@code PT5M}) or a number with a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
  static Duration parseTtl(String text) throws BadRequest {
    try {
      Duration ttl;
      String lower = text.toLowerCase(Locale.ROOT);
      if (lower.startsWith("pt") || lower.startsWith("p")) {
        ttl = Duration.parse(text);
      } else if (lower.endsWith("ms")) {
        ttl = Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2)));
      } else if (lower.endsWith("s")) {
        ttl = Duration.ofSeconds(Long.parseLong(lower.substring(0, lower.length() - 1)));
      } else if (lower.endsWith("m")) {
        ttl = Duration.ofMinutes(Long.parseLong(lower.substring(0, lower.length() - 1)));
      } else if (lower.endsWith("h")) {
        ttl = Duration.ofHours(Long.parseLong(lower.substring(0, lower.length() - 1)));
      } else {
        throw new NumberFormatException();
      }
      if (ttl.isNegative() || ttl.isZero()) {
        throw new NumberFormatException();
      }
      return ttl;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new BadRequest(400, "field 'ttl' must be a positive duration such as 30s, 5m, 1h or PT5M, was '"
          + sanitize(text) + "'");
    }
  }

  private static Map<String, String> parseJsonObject(byte[] body) throws BadRequest {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new BadRequest(400, "body is not valid JSON; expected {\"logger\": ..., \"level\": ..., \"ttl\": ...}");
    }
    if (node == null || !node.isObject()) {
      throw new BadRequest(400, "body must be a JSON object: {\"logger\": ..., \"level\": ..., \"ttl\": ...}");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
    }
    return values;
  }

  static Map<String, String> parseForm(String raw) {
    Map<String, String> values = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        values.put(key, value);
      } catch (IllegalArgumentException e) {
        values.put(pair, "");
      }
    }
    return values;
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException, BadRequest {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
          throw new BadRequest(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "malformed Content-Length");
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new BadRequest(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }

  private static void sendJson(HttpExchange exchange, int status, Object value) throws IOException {
    send(exchange, status, JSON, MAPPER.writeValueAsString(value));
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Echoes user input safely: printable ASCII only, at most 100 characters. */
  private static String sanitize(String input) {
    if (input == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < input.length() && sb.length() < 100; i++) {
      char c = input.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }

  /** A request the client got wrong, answered with {@code status} and a one-line message. */
  static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
