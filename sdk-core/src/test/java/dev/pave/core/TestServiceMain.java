package dev.pave.core;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny Pave service for the child-JVM tests. Configured with system properties:
 * {@code test.fail-start=true} adds a component whose start throws (after a healthy one),
 * {@code test.hung-stop=true} adds a component whose stop never returns. It always serves its own
 * HTTP endpoint ({@code /hello}, {@code /slow?ms=N}) as a lifecycle component.
 */
final class TestServiceMain {
  private static final Logger log = LoggerFactory.getLogger(TestServiceMain.class);

  private TestServiceMain() {}

  public static void main(String[] args) {
    Pave.service("test-service").run(svc -> {
      svc.register(new AppServer());
      if (Boolean.getBoolean("test.hung-stop")) {
        svc.register(new HungStop());
      }
      if (Boolean.getBoolean("test.fail-start")) {
        svc.register(new FailingStart());
      }
      if (Boolean.getBoolean("test.span")) {
        svc.openTelemetry().getTracer("test").spanBuilder("startup-work").startSpan().end();
      }
      if (Boolean.getBoolean("test.uncaught")) {
        // A task that throws on a Pave executor, inside a span: the uncaught exception is logged
        // with that span's trace id and counted.
        var executor = svc.executor("boom", 1);
        var span = svc.openTelemetry().getTracer("test").spanBuilder("failing-work").startSpan();
        try (var scope = span.makeCurrent()) {
          log.info("failing task trace {}", span.getSpanContext().getTraceId());
          executor.execute(() -> {
            throw new IllegalStateException("task exploded");
          });
        } finally {
          span.end();
        }
      }
    });
  }

  /** The service's own endpoint, stopped like a real server: no new exchanges, in-flight ones finish. */
  static final class AppServer implements LifecycleComponent {
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopping;
    private HttpServer server;
    private ExecutorService executor;

    @Override
    public String name() {
      return "app-server";
    }

    @Override
    public void start() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      executor = Executors.newFixedThreadPool(4);
      server.setExecutor(executor);
      server.createContext("/hello", exchange -> tracked(exchange, () -> respond(exchange, "hello")));
      server.createContext("/slow", exchange -> tracked(exchange, () -> {
        String query = exchange.getRequestURI().getQuery();
        long ms = Long.parseLong(query.substring(query.indexOf('=') + 1));
        log.info("slow request started, {} ms", ms);
        try {
          Thread.sleep(ms); // the request's own work, not a test wait
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        respond(exchange, "slow done");
        log.info("slow request finished");
      }));
      server.start();
      log.info("app endpoint on port {}", server.getAddress().getPort());
    }

    private interface Handler {
      void handle() throws IOException;
    }

    /** Counts in-flight exchanges; once stopping, refuses new ones like a real server does. */
    private void tracked(com.sun.net.httpserver.HttpExchange exchange, Handler handler) throws IOException {
      inFlight.incrementAndGet();
      try {
        if (stopping) {
          exchange.getResponseHeaders().set("Connection", "close");
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
          return;
        }
        handler.handle();
      } finally {
        inFlight.decrementAndGet();
      }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }

    @Override
    public void stop(Duration timeout) throws InterruptedException {
      // JDK 17's HttpServer.stop(delay) always waits the whole delay, so wait for in-flight
      // exchanges ourselves (polling a counter; this is the server's drain, not a test wait).
      stopping = true;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      server.stop(0);
      executor.shutdownNow();
      log.info("component app-server stopped");
    }
  }

  static final class HungStop implements LifecycleComponent {
    @Override
    public String name() {
      return "hung-stop";
    }

    @Override
    public void start() {}

    @Override
    public void stop(Duration timeout) throws InterruptedException {
      new CountDownLatch(1).await(); // never returns: the lifecycle must abandon it
    }
  }

  static final class FailingStart implements LifecycleComponent {
    @Override
    public String name() {
      return "broken-db";
    }

    @Override
    public void start() throws IOException {
      throw new IOException("connection refused: db.invalid:5432");
    }

    @Override
    public void stop(Duration timeout) {
      throw new AssertionError("never started, must not be stopped");
    }
  }
}
