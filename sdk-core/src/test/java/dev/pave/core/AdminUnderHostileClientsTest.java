package dev.pave.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.config.Config;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Security report D2: peers that open admin connections and then stall (one byte, half the
 * headers, a body shorter than its Content-Length, garbage without a line end) must not stop the
 * kubelet's probes. Real sockets on 127.0.0.1, held open while the probes run.
 */
class AdminUnderHostileClientsTest {

  private final List<Socket> held = new ArrayList<>();
  private RunningService service;

  @AfterEach
  void close() throws Exception {
    for (Socket socket : held) {
      socket.close();
    }
    if (service != null) {
      service.stop();
    }
  }

  private void hold(int port, String bytes) throws Exception {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    OutputStream out = socket.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    held.add(socket);
  }

  @Test
  void probesAreAnsweredWithinASecond_whileStalledConnectionsAreHeldOpen() throws Exception {
    Config config = Config.builder()
        .environment(java.util.Map.of())
        .override("admin.host", "127.0.0.1")
        .override("admin.port", "0")
        .override("lifecycle.drain-delay", "0ms")
        .build();
    service = Pave.service("hostile-admin").config(config).start(svc -> {});
    int port = service.adminAddress().getPort();
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1))
        .build();
    HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
        .timeout(Duration.ofSeconds(1))
        .build();
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

    for (int i = 0; i < 8; i++) {
      hold(port, "G"); // one byte, then nothing
      hold(port, "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "); // headers never end
      hold(port, "POST /loglevel HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 8000\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\n\r\nlogger=ROOT"); // body never ends
      hold(port, "\u0016\u0003\u0001garbage without a line end");
    }

    // Every probe of the next few seconds answers, each within its 1 s timeout.
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = http.send(readyz, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      HttpResponse<String> live = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/livez"))
              .timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
    }
  }
}
