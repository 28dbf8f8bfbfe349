package dev.pave.benchmarks.core;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The floor Pave's startup is compared with: a JVM that starts the JDK's HTTP server with one
 * {@code /readyz} handler and nothing else. Same {@code -Dbench.exit} contract as {@link
 * MinimalService}.
 */
public final class BareJdkHttpServer {
  private BareJdkHttpServer() {}

  public static void main(String[] args) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.getInteger("admin.port", 8081)), 0);
    server.createContext("/readyz", exchange -> {
      byte[] ok = "ok\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, ok.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(ok);
      }
    });
    server.start();
    System.out.println("READY");
    String exit = System.getProperty("bench.exit", "");
    if (exit.equals("halt")) {
      Runtime.getRuntime().halt(0);
    } else if (exit.equals("exit")) {
      System.exit(0);
    }
  }
}
