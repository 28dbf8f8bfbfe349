package dev.pave.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pave.core.LifecycleState;
import dev.pave.logging.PaveLogging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server on its own port, on Jetty's core HTTP server (no servlets).
 *
 * <p>Why Jetty and not the JDK's {@code com.sun.net.httpserver}: the JDK server reads a request's
 * line and headers on a pool thread, blocking, with no read timeout, so four peers that each sent
 * one byte held all four threads and the kubelet's probes went unanswered for as long as they
 * stayed connected (security report D2). Jetty parses requests without blocking in its selector,
 * so a stalled connection holds no thread; only a request whose headers are complete reaches a
 * thread, and a stalled body holds it at most {@link #IDLE_TIMEOUT}. Connections are capped at
 * {@value #MAX_CONNECTIONS} (more wait in the accept backlog) and each is closed after {@link
 * #IDLE_TIMEOUT} without traffic. grpc-netty-shaded's Netty is shaded, not an API to build on;
 * Helidon would be a second server framework for four endpoints.
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
  private static final String JETTY_LOGGER = "org.eclipse.jetty";
  static final int MAX_URI_CHARS = 2048;
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** What the endpoints read and do; implemented by the service runtime. */
  public interface Backend {
    LifecycleState state();

    HealthRegistry health();

    /** Enters DRAINING and returns after the drain delay (at once if already stopping). */
    void preStop();

    /** Writes a metrics scrape, returning its content type. */
    String scrape(String accept, OutputStream out) throws IOException;

    Map<String, Object> info();

    /**
     * The effective configuration with provenance, secrets masked; empty when not exposed
     * ({@code admin.expose-config=false}).
     */
    java.util.Optional<List<Map<String, Object>>> configEntries();

    /** Whether {@code POST /loglevel} may change levels ({@code admin.loglevel.enabled}). */
    boolean logLevelChangesEnabled();

    /** Whether a logger of that name exists already (ROOT always does). */
    boolean loggerExists(String logger);

    /**
     * Changes a logger's level; level null resets it; ttl null means until changed again.
     * {@code requester} (the peer's address) goes into the audit line.
     */
    void setLogLevel(String logger, String level, Duration ttl, String requester);
  }

  /** A connection with no traffic for this long is closed, a stalled request with it. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
  /** Open connections at most; further peers wait in the accept backlog. */
  static final int MAX_CONNECTIONS = 128;
  /** Threads for requests whose headers are complete (/prestop holds one for the drain delay). */
  private static final int MAX_THREADS = 16;

  private final Server server;
  private final ServerConnector connector;
  private final String host;
  private final Backend backend;

  private final Map<String, Route> routes = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<String> builtIn;

  private AdminServer(Server server, ServerConnector connector, String host, Backend backend) {
    this.server = server;
    this.connector = connector;
    this.host = host;
    this.backend = backend;
    Map<String, Route> table = builtInRoutes();
    this.routes.putAll(table);
    this.builtIn = List.copyOf(table.keySet());
  }

  /** Binds and starts the server; port 0 picks a free port (see {@link #address()}). */
  public static AdminServer start(String host, int port, Backend backend) throws IOException {
    AdminServer admin = prepare(host, port, backend);
    admin.start();
    return admin;
  }

  /**
   * Builds the server without binding or starting anything, so that it can be done on another
   * thread while the service starts: Jetty's class initialization is about a third of a
   * service's startup once its classes come from a class-data cache (docs/benchmarks.md).
   */
  public static AdminServer prepare(String host, int port, Backend backend) {
    quietJetty();
    avoidPlatformMBeanServer();
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
    threads.setName("pave-admin");
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(8 * 1024);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setAcceptQueueSize(64);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
    server.setStopTimeout(1000);
    AdminServer admin = new AdminServer(server, connector, host, backend);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        admin.handle(request, response, callback);
        return true;
      }
    });
    return admin;
  }

  /** Binds and starts a {@link #prepare prepared} server. */
  public void start() throws IOException {
    try {
      server.start();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("admin server did not start on " + host + ":" + connector.getPort() + ": " + e, e);
    }
  }

  /**
   * Jetty's {@code MemoryUtils} starts the JVM's whole platform MBean server (every platform MBean
   * registered, about 35 ms at startup) only to ask whether compressed oops are on, for the padding
   * of its queues; unless its property says how many references fill a cache line. The answer
   * comes from the one diagnostic MXBean instead, which needs no MBean server.
   */
  private static void avoidPlatformMBeanServer() {
    String property = "org.eclipse.jetty.util.referencesPerCacheLine";
    if (System.getProperty(property) != null) {
      return;
    }
    boolean compressedOops = true;
    try {
      compressedOops = Boolean.parseBoolean(java.lang.management.ManagementFactory
          .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption("UseCompressedOops").getValue());
    } catch (RuntimeException | LinkageError e) {
      // Not HotSpot: keep the common case (a heap under 32 GiB).
    }
    // 64-byte cache lines (Jetty's default): 16 compressed references, or 8 plain ones.
    System.setProperty(property, compressedOops ? "16" : "8");
  }

  /**
   * Jetty announces its version, connectors and every start and stop at INFO: lines about Pave's
   * plumbing in every service's log. Unless the service configured {@code org.eclipse.jetty}
   * itself ({@code logging.level.org.eclipse.jetty}), it logs at WARN.
   */
  private static void quietJetty() {
    boolean configured = PaveLogging.settings()
        .map(settings -> settings.levels().containsKey(JETTY_LOGGER))
        .orElse(true); // a service's own logback.xml decides
    if (!configured) {
      PaveLogging.setLevel(JETTY_LOGGER, "WARN");
    }
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(host, connector.getLocalPort());
  }

  /** Stops accepting and closes the server, waiting at most about a second for exchanges. */
  public void stop() {
    try {
      server.stop();
    } catch (Exception e) {
      log.debug("admin server stop: {}", e.toString());
    }
  }

  /** One request and what to answer; the routing below fills in the reply. */
  private static final class Exchange {
    final Request request;
    final Map<String, String> replyHeaders = new LinkedHashMap<>();
    int status = 200;
    String contentType = TEXT;
    byte[] body = new byte[0];

    Exchange(Request request) {
      this.request = request;
    }

    String header(String name) {
      return request.getHeaders().get(name);
    }
  }

  private void handle(Request request, Response response, Callback callback) {
    Exchange exchange = new Exchange(request);
    try {
      route(exchange);
    } catch (BadRequest e) {
      if (e.status == 413 || e.status == 414) {
        // The rest of the request was not read: the connection cannot be reused for another one.
        exchange.replyHeaders.put("Connection", "close");
      }
      send(exchange, e.status, TEXT, e.getMessage() + "\n");
    } catch (ClientGone e) {
      // The peer stalled or went away mid-request: a 408 that closes the connection (if anyone is
      // still there to read it), and nothing worth a WARN.
      log.debug("admin request abandoned by the client: {}", e.getMessage());
      exchange.replyHeaders.clear();
      exchange.replyHeaders.put("Connection", "close");
      send(exchange, 408, TEXT, "request not received in time\n");
    } catch (RuntimeException | IOException | LinkageError e) {
      log.error("admin endpoint {} failed", Request.getPathInContext(request), e);
      exchange.replyHeaders.clear();
      send(exchange, 500, TEXT, "internal error\n");
    }
    response.setStatus(exchange.status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, exchange.contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    exchange.replyHeaders.forEach((name, value) -> response.getHeaders().put(name, value));
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, exchange.body.length);
    response.write(true, ByteBuffer.wrap(exchange.body), callback);
  }

  /** What an endpoint does with a request whose method matched; the table below maps paths to these. */
  @FunctionalInterface
  private interface Endpoint {
    void serve(Exchange exchange, Map<String, String> query, byte[] body) throws IOException, BadRequest;
  }

  /** One row of the route table: the method allowed on the path, and what serves it. */
  private record Route(String method, Endpoint endpoint) {}

  /**
   * The route table (design review A3): Pave's endpoints, then a service's own ({@link #addRoute}).
   * Adding an endpoint is one row here and its method below.
   */
  private Map<String, Route> builtInRoutes() {
    Map<String, Route> table = new LinkedHashMap<>();
    table.put("/livez", new Route("GET", (ex, q, body) -> probe(ex, q, backend.health().isLive(), HealthRegistry.Kind.LIVENESS)));
    table.put("/readyz", new Route("GET", (ex, q, body) -> probe(ex, q, backend.health().isReady(), HealthRegistry.Kind.READINESS)));
    table.put("/startupz", new Route("GET", (ex, q, body) -> startup(ex, q)));
    table.put("/prestop", new Route("GET", (ex, q, body) -> {
      refuseCrossSite(ex, "/prestop");
      backend.preStop();
      send(ex, 200, TEXT, "drained; state " + backend.state() + "\n");
    }));
    table.put("/metrics", new Route("GET", (ex, q, body) -> metrics(ex)));
    table.put("/info", new Route("GET", (ex, q, body) -> sendJson(ex, 200, backend.info())));
    table.put("/config", new Route("GET", (ex, q, body) -> {
      List<Map<String, Object>> entries = backend.configEntries().orElseThrow(
          () -> new BadRequest(404, "not found: /config (set admin.expose-config=true to expose it)"));
      sendJson(ex, 200, Map.of("entries", entries));
    }));
    table.put("/loglevel", new Route("POST", (ex, q, body) -> {
      refuseCrossSite(ex, "/loglevel");
      if (!backend.logLevelChangesEnabled()) {
        throw new BadRequest(403, "runtime level changes are disabled on this service;"
            + " set admin.loglevel.enabled=true to allow POST /loglevel");
      }
      logLevel(ex, q, body);
    }));
    return table;
  }

  /** The service's own endpoints must look like this: a path of letters, digits, '-', '_', '.' and '/'. */
  private static final java.util.regex.Pattern ROUTE_PATH = java.util.regex.Pattern.compile("/[A-Za-z0-9._/-]{1,100}");

  /**
   * Serves {@code GET path} with a service's {@code handler} ({@code svc.admin().route}).
   *
   * @throws IllegalArgumentException if the path is malformed or taken (Pave's, or added before)
   */
  public void addRoute(String path, dev.pave.core.AdminHandler handler) {
    java.util.Objects.requireNonNull(handler, "handler");
    if (path == null || !ROUTE_PATH.matcher(path).matches() || path.contains("//") || path.contains("/..")) {
      throw new IllegalArgumentException("admin route '" + path + "' must be a path such as /cachez: '/' then"
          + " letters, digits, '-', '_', '.' or '/', at most 100 characters");
    }
    Route route = new Route("GET", (ex, q, body) -> {
      dev.pave.core.AdminReply reply;
      try {
        reply = handler.handle(q);
      } catch (Exception e) {
        throw new IOException("admin route " + path + " failed", e); // logged; answered 500, no detail
      }
      if (reply == null) {
        throw new IllegalStateException("admin route " + path + " returned null");
      }
      send(ex, reply.status(), reply.contentType(), reply.body());
    });
    if (routes.putIfAbsent(path, route) != null) {
      throw new IllegalArgumentException("admin route " + path + " is taken: Pave serves "
          + String.join(", ", builtIn) + ", and each path can be added once");
    }
  }

  private void route(Exchange exchange) throws IOException, BadRequest, ClientGone {
    String rawUri = exchange.request.getHttpURI().getPathQuery();
    if (rawUri != null && rawUri.length() > MAX_URI_CHARS) {
      throw new BadRequest(414, "request target longer than " + MAX_URI_CHARS + " characters");
    }
    String path = Request.getPathInContext(exchange.request);
    String method = exchange.request.getMethod();
    Route route = routes.get(path);
    byte[] body = readBody(exchange);
    if (route == null) {
      throw new BadRequest(404, "not found: " + sanitize(path));
    }
    if (!route.method().equals(method)) {
      exchange.replyHeaders.put("Allow", route.method());
      throw new BadRequest(405, "method " + sanitize(method) + " not allowed on " + path + "; use " + route.method());
    }
    route.endpoint().serve(exchange, parseForm(exchange.request.getHttpURI().getQuery()), body);
  }

  /**
   * Refuses a state-changing request that a browser sent on behalf of another site (security
   * report D17): an {@code Origin} that is not this server's own, or {@code Sec-Fetch-Site}
   * {@code cross-site}/{@code same-site}. The kubelet's preStop {@code httpGet} and curl send
   * neither header.
   */
  private static void refuseCrossSite(Exchange exchange, String path) throws BadRequest {
    String fetchSite = exchange.header("Sec-Fetch-Site");
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      throw new BadRequest(403, "cross-site request to " + path + " refused");
    }
    String origin = exchange.header("Origin");
    if (origin != null) {
      String host = exchange.header("Host");
      if (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host))) {
        throw new BadRequest(403, "cross-origin request to " + path + " refused (Origin "
            + sanitize(origin) + ")");
      }
    }
  }

  private void probe(Exchange exchange, Map<String, String> query, boolean ok, HealthRegistry.Kind kind)
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

  private void startup(Exchange exchange, Map<String, String> query) throws IOException {
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

  private void metrics(Exchange exchange) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    String contentType = backend.scrape(exchange.header("Accept"), out);
    exchange.status = 200;
    exchange.contentType = contentType;
    exchange.body = out.toByteArray();
  }

  private void logLevel(Exchange exchange, Map<String, String> query, byte[] body) throws IOException, BadRequest {
    LogLevelChange change = LogLevelChange.parse(query, exchange.header("Content-Type"), body);
    // Security report D3: each new dotted name creates a logger per segment, kept for the JVM's
    // life (18 MB per 8 KB request). Only loggers that exist can be changed, so a request can
    // create none; the name was bounded before it is looked up.
    if (!backend.loggerExists(change.logger())) {
      throw new BadRequest(400, "no logger named '" + sanitize(change.logger()) + "' exists in this service;"
          + " levels can be changed only on existing loggers (or ROOT)");
    }
    try {
      backend.setLogLevel(change.logger(), change.level(), change.ttl(), Request.getRemoteAddr(exchange.request)
          + ":" + Request.getRemotePort(exchange.request));
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, e.getMessage());
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("logger", change.logger());
    json.put("level", change.level());
    json.put("ttl", change.ttl() == null ? null : change.ttl().toString());
    sendJson(exchange, 200, json);
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

  private static byte[] readBody(Exchange exchange) throws BadRequest, ClientGone {
    String length = exchange.header("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
          throw new BadRequest(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "malformed Content-Length");
      }
    }
    // Blocking, on this request's thread: a peer that stalls its body is cut off by the idle
    // timeout, and holds one of the server's threads until then, never a probe's.
    try (InputStream in = Content.Source.asInputStream(exchange.request)) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new BadRequest(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    } catch (IOException | RuntimeException e) {
      throw new ClientGone("request body not received: " + e);
    }
  }

  private static void sendJson(Exchange exchange, int status, Object value) throws IOException {
    send(exchange, status, JSON, MAPPER.writeValueAsString(value));
  }

  private static void send(Exchange exchange, int status, String contentType, String body) {
    exchange.status = status;
    exchange.contentType = contentType;
    exchange.body = body.getBytes(StandardCharsets.UTF_8);
  }

  /** Echoes user input safely: printable ASCII only, at most 100 characters. */
  static String sanitize(String input) {
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

  /** The client stalled or left before its request was complete; nothing is answered. */
  static final class ClientGone extends Exception {
    private static final long serialVersionUID = 1L;

    ClientGone(String message) {
      super(message, null, false, false);
    }
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

  /**
   * The admin server's address as a URL a person can paste: an IPv6 literal in brackets, and a
   * wildcard bind as the loopback address that reaches it, saying it listens on every interface
   * (security report D18: the READY line printed {@code http://0:0:0:0:0:0:0:0:8081}).
   */
  static String url(InetSocketAddress address) {
    String host = address.getHostString();
    boolean wildcard = address.getAddress() != null && address.getAddress().isAnyLocalAddress();
    if (wildcard) {
      return "http://127.0.0.1:" + address.getPort() + " (listening on all interfaces)";
    }
    return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
