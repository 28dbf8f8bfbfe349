package dev.pave.benchmarks.security;

import dev.pave.benchmarks.LoadRun;
import dev.pave.testsupport.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The security report's probes, re-run against the payments sample as deployed (its runnable jar
 * as its own JVM with a 192 MB heap, configured by env, on 127.0.0.1): one row per defect, with
 * what was measured. Every loop is bounded; nothing leaves 127.0.0.1.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks,samples/payments -am
 * java -cp benchmarks/target/benchmarks.jar dev.pave.benchmarks.security.HostileProbes
 * </pre>
 *
 * <p>Rows: D2 (stalled admin connections while the kubelet probes), D1 (HEADERS-only streams on
 * one connection), D9 (rapid reset), D3/item 2 ({@code POST /loglevel} by default), D4
 * ({@code /prestop} that no SIGTERM follows), D5 (SIGTERM with a stdout nobody reads), D10
 * ({@code HEAD} on the admin port, a malformed {@code grpc-timeout}: WARN/ERROR lines written), D13
 * (invalid protobuf, a gzip bomb: the status the client gets, the access line, ERROR lines), D16
 * (9 KB of metadata: what the client gets).
 */
public final class HostileProbes {

  private static final PrintStream OUT = System.out;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private HostileProbes() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "samples/payments/target/payments.jar");
    Path work = Files.createTempDirectory("pave-hostile");
    Path secrets = Files.createDirectories(work.resolve("secrets"));
    Files.writeString(secrets.resolve("payments.api-key"), "probe-only-key");
    OUT.printf(Locale.ROOT, "payments jar %s, JDK %s, load average %s%n", jar, Runtime.version(), LoadRun.loadAverage());

    try (Service service = Service.start(jar, secrets, work.resolve("payments.log"), Map.of())) {
      d2(service);
      d1(service);
      d9(service);
      loglevel(service);
      d10(service);
      d13(service);
      d16(service);
    }
    try (Service service = Service.start(jar, secrets, work.resolve("prestop.log"), Map.of(
        "LIFECYCLE_TERMINATION_GRACE_PERIOD", "5s", "LIFECYCLE_SHUTDOWN_TIMEOUT", "2s",
        "LIFECYCLE_TELEMETRY_FLUSH_TIMEOUT", "1s"))) {
      d4(service);
    }
    d5(jar, secrets);
    OUT.printf(Locale.ROOT, "load average at end: %s%n", LoadRun.loadAverage());
  }

  /** D2: 8 connections that each send one byte and stay open, while /readyz is probed. */
  private static void d2(Service service) throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        Socket socket = new Socket("127.0.0.1", service.adminPort);
        socket.getOutputStream().write('G');
        socket.getOutputStream().flush();
        stalled.add(socket);
      }
      int answered = 0;
      int probes = 20;
      long slowest = 0;
      for (int i = 0; i < probes; i++) {
        long start = System.nanoTime();
        if (service.get("/readyz") == 200) {
          answered++;
        }
        slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        Thread.sleep(250); // the probe period of this harness, not a wait for a condition
      }
      OUT.printf(Locale.ROOT, "D2  8 stalled admin connections: /readyz answered %d/%d within 1 s, slowest %d ms%n",
          answered, probes, slowest);
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
  }

  /** D1: one connection opens 20,000 HEADERS-only streams. */
  private static void d1(Service service) throws Exception {
    long rssBefore = service.rssKib();
    int streams = 20_000;
    try (Socket socket = new Socket("127.0.0.1", service.grpcPort)) {
      socket.setSoTimeout(200);
      var in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      out.write(H2.preface());
      out.flush();
      long advertised = -1;
      int refused = 0;
      int closedByServer = 0;
      int sent = 0;
      String end = "connection still open";
      try {
        while (sent < streams) {
          out.write(H2.headersOnly(2 * sent + 1, 1000, "/payments.v1.PaymentService/Authorize", false));
          out.flush();
          sent += 1000;
          for (H2.Frame frame; (frame = H2.read(socket, in)) != null; ) {
            if (frame.type() == H2.SETTINGS && (frame.flags() & 1) == 0) {
              advertised = H2.setting(frame.payload(), 0x3);
            } else if (frame.type() == H2.RST_STREAM) {
              refused++;
            } else if (frame.type() == H2.HEADERS && (frame.flags() & 1) != 0) {
              closedByServer++;
            } else if (frame.type() == H2.GOAWAY) {
              end = "GOAWAY error " + ByteBuffer.wrap(frame.payload(), 4, 4).getInt();
            }
          }
        }
      } catch (IOException closed) {
        end = end + ", then closed by the server (" + closed.getMessage() + ")";
      }
      int answered = 0;
      for (int i = 0; i < 10; i++) {
        answered += service.get("/readyz") == 200 ? 1 : 0;
      }
      OUT.printf(Locale.ROOT, "D1  HEADERS-only streams on one connection: %d sent, MAX_CONCURRENT_STREAMS=%d,"
              + " %d refused (RST_STREAM), %d closed with a status; %s; /readyz %d/10 after; RSS %d -> %d MiB%n",
          sent, advertised, refused, closedByServer, end, answered, rssBefore / 1024, service.rssKib() / 1024);
    }
  }

  /** D9: HEADERS + RST_STREAM pairs on one connection until the server sends GOAWAY. */
  private static void d9(Service service) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", service.grpcPort)) {
      socket.setSoTimeout(200);
      var in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      out.write(H2.preface());
      int sent = 0;
      boolean goAway = false;
      long start = System.nanoTime();
      try {
        while (!goAway && sent < 100_000) {
          out.write(H2.headersOnly(2 * sent + 1, 500, "/payments.v1.PaymentService/Authorize", true));
          out.flush();
          sent += 500;
          for (H2.Frame frame; (frame = H2.read(socket, in)) != null; ) {
            goAway |= frame.type() == H2.GOAWAY;
          }
        }
      } catch (IOException closed) {
        goAway = true; // the server closed the connection after its GOAWAY
      }
      OUT.printf(Locale.ROOT, "D9  rapid reset: %s after %d HEADERS+RST_STREAM pairs (%d ms)%n",
          goAway ? "GOAWAY and close" : "no GOAWAY", sent, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
  }

  /** D10: HEAD on the admin port and malformed grpc-timeout headers; the WARN/ERROR lines they write. */
  private static void d10(Service service) throws Exception {
    long before = service.warnOrErrorLines();
    int heads = 200;
    int allowed = 0;
    for (int i = 0; i < heads; i++) {
      int status = HTTP.send(HttpRequest.newBuilder(service.admin("/readyz")).method("HEAD", HttpRequest.BodyPublishers.noBody())
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status == 200 || status == 405) {
        allowed++;
      }
    }
    long afterHead = service.warnOrErrorLines();
    int streams = 200;
    int reset = 0;
    try (Socket socket = new Socket("127.0.0.1", service.grpcPort)) {
      socket.setSoTimeout(500);
      var in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      out.write(H2.preface());
      out.write(H2.headersOnly(1, streams, "/payments.v1.PaymentService/Authorize", false, "grpc-timeout", "abc"));
      out.flush();
      for (H2.Frame frame; reset < streams && (frame = H2.read(socket, in)) != null; ) {
        if (frame.type() == H2.RST_STREAM) {
          reset++;
        }
      }
    }
    Thread.sleep(500); // lets the service's log writer reach the file before counting
    long afterTimeout = service.warnOrErrorLines();
    OUT.printf(Locale.ROOT, "D10 %d HEAD /readyz: %d answered 200/405, %d WARN/ERROR lines; %d streams with"
        + " grpc-timeout 'abc': %d RST_STREAM, %d WARN/ERROR lines%n",
        heads, allowed, afterHead - before, streams, reset, afterTimeout - afterHead);
  }

  /** D13: invalid protobuf and a gzip bomb through a real gRPC client. */
  private static void d13(Service service) throws Exception {
    long errorsBefore = service.warnOrErrorLines();
    io.grpc.ManagedChannel channel = service.channel();
    try {
      String invalid = status(channel, io.grpc.CallOptions.DEFAULT, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1});
      // Field 15 (bytes) of 5 MB of zeros: a few KB once gzipped, past the 4 MiB limit once inflated.
      var bomb = new ByteArrayOutputStream();
      bomb.write(0x7a);
      int size = 5 * 1024 * 1024;
      while (size >= 0x80) {
        bomb.write(size & 0x7f | 0x80);
        size >>>= 7;
      }
      bomb.write(size);
      bomb.write(new byte[5 * 1024 * 1024]);
      String gzip = status(channel, io.grpc.CallOptions.DEFAULT.withCompression("gzip"), bomb.toByteArray());
      Thread.sleep(500); // lets the service's log writer reach the file before counting
      OUT.printf(Locale.ROOT, "D13 invalid protobuf: %s; gzip bomb: %s; access lines %d INVALID_ARGUMENT, %d"
          + " RESOURCE_EXHAUSTED; %d WARN/ERROR lines%n", invalid, gzip,
          service.logLinesContaining("\"rpc.grpc.status_code\":\"INVALID_ARGUMENT\""),
          service.logLinesContaining("\"rpc.grpc.status_code\":\"RESOURCE_EXHAUSTED\""),
          service.warnOrErrorLines() - errorsBefore);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** D16: 9 KB of metadata (over the 8 KiB default). */
  private static void d16(Service service) throws Exception {
    io.grpc.ManagedChannel channel = service.channel();
    try {
      io.grpc.Metadata big = new io.grpc.Metadata();
      big.put(io.grpc.Metadata.Key.of("x-big", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "a".repeat(9000));
      io.grpc.Channel withHeader = io.grpc.ClientInterceptors.intercept(channel,
          io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(big));
      OUT.printf(Locale.ROOT, "D16 9 KB of metadata: the client gets %s%n",
          status(withHeader, io.grpc.CallOptions.DEFAULT, new byte[0]));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Calls {@code Authorize} with raw request bytes; the status the client gets. */
  private static String status(io.grpc.Channel channel, io.grpc.CallOptions options, byte[] request) {
    try {
      io.grpc.stub.ClientCalls.blockingUnaryCall(channel, AUTHORIZE_BYTES, options.withDeadlineAfter(5, TimeUnit.SECONDS),
          request);
      return "OK";
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus().getCode() + (e.getStatus().getDescription() == null ? "" : " \"" + e.getStatus().getDescription() + "\"");
    }
  }

  /** {@code Authorize} with raw bytes both ways, to send what no stub would. */
  private static final io.grpc.MethodDescriptor<byte[], byte[]> AUTHORIZE_BYTES;

  private static final io.grpc.MethodDescriptor.Marshaller<byte[]> BYTES = new io.grpc.MethodDescriptor.Marshaller<>() {
    @Override
    public java.io.InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(java.io.InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  };

  static {
    AUTHORIZE_BYTES = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("payments.v1.PaymentService/Authorize")
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
  }

  /** Item 2 / D3: POST /loglevel with the defaults. */
  private static void loglevel(Service service) throws Exception {
    HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(service.admin("/loglevel?logger=ROOT&level=TRACE"))
        .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    OUT.printf(Locale.ROOT, "D3  POST /loglevel at the defaults: %d%n", response.statusCode());
  }

  /** D4: GET /prestop that no SIGTERM follows. */
  private static void d4(Service service) throws Exception {
    long start = System.nanoTime();
    int prestop = service.get("/prestop");
    int during = service.get("/readyz");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int after = during;
    while (after != 200 && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling /readyz with a deadline
      after = service.get("/readyz");
    }
    OUT.printf(Locale.ROOT, "D4  /prestop without SIGTERM (grace period 5 s): prestop %d, /readyz %d, then %d after %d ms%n",
        prestop, during, after, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** D5: SIGTERM while stdout is a pipe nobody reads and the service keeps logging. */
  private static void d5(Path jar, Path secrets) throws Exception {
    int grpcPort = LoadRun.freePort();
    int adminPort = LoadRun.freePort();
    Process process = ChildJvm.builder(jar.getParent(), jar).withoutDefaultJvmArgs().jvmArgs(List.of("-Xmx192m"))
        .env(Service.environment(secrets, grpcPort, adminPort, Map.of()))
        .stdout(ChildJvm.Stdout.UNREAD_PIPE)
        .start().process();
    try {
      Service service = new Service(process, grpcPort, adminPort, null);
      service.awaitReady();
      // Every call with an unparseable request is an INFO access line (INVALID_ARGUMENT): a few
      // thousand fill the pipe, then the queue.
      for (int connection = 0; connection < 8; connection++) {
        try (Socket socket = new Socket("127.0.0.1", grpcPort)) {
          socket.getOutputStream().write(H2.preface());
          socket.getOutputStream().write(H2.invalidCalls(1, 900, "/payments.v1.PaymentService/Authorize"));
          socket.getOutputStream().flush();
        }
      }
      long start = System.nanoTime();
      process.destroy(); // SIGTERM
      boolean exited = process.waitFor(60, TimeUnit.SECONDS);
      OUT.printf(Locale.ROOT, "D5  SIGTERM with stdout on a pipe nobody reads: %s%n", exited
          ? "exit " + process.exitValue() + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms"
          : "still running 60 s later");
    } finally {
      process.destroyForcibly();
    }
  }

  /** The payments jar as its own JVM. */
  static final class Service implements AutoCloseable {
    final Process process;
    final int grpcPort;
    final int adminPort;
    final Path log;

    Service(Process process, int grpcPort, int adminPort, Path log) {
      this.process = process;
      this.grpcPort = grpcPort;
      this.adminPort = adminPort;
      this.log = log;
    }

    /** The service's log lines at WARN or ERROR so far. */
    long warnOrErrorLines() throws IOException {
      return logLinesContaining("\"log.level\":\"WARN\"") + logLinesContaining("\"log.level\":\"ERROR\"");
    }

    /** A plaintext channel to the service's gRPC port. */
    io.grpc.ManagedChannel channel() {
      return io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    }

    long logLinesContaining(String text) throws IOException {
      try (var lines = Files.lines(log)) {
        return lines.filter(line -> line.contains(text)).count();
      }
    }

    static Service start(Path jar, Path secrets, Path log, Map<String, String> extraEnv) throws Exception {
      int grpcPort = LoadRun.freePort();
      int adminPort = LoadRun.freePort();
      Process process = ChildJvm.builder(log.getParent(), jar).withoutDefaultJvmArgs()
          .jvmArgs(List.of("-Xmx192m", "-XX:+ExitOnOutOfMemoryError"))
          .env(environment(secrets, grpcPort, adminPort, extraEnv))
          .mergeStderr().stdoutTo(log.toFile())
          .start().process();
      Service service = new Service(process, grpcPort, adminPort, log);
      service.awaitReady();
      return service;
    }

    static Map<String, String> environment(Path secrets, int grpcPort, int adminPort, Map<String, String> extra) {
      Map<String, String> env = new java.util.LinkedHashMap<>();
      env.put("GRPC_PORT", Integer.toString(grpcPort));
      env.put("GRPC_SERVER_HOST", "127.0.0.1");
      env.put("ADMIN_PORT", Integer.toString(adminPort));
      env.put("ADMIN_HOST", "127.0.0.1");
      env.put("SECRETS_DIR", secrets.toString());
      env.put("LIFECYCLE_DRAIN_DELAY", "0s");
      env.putAll(extra);
      return env;
    }

    void awaitReady() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("payments exited " + process.exitValue() + " before READY");
        }
        if (get("/readyz") == 200) {
          return;
        }
        Thread.sleep(100); // polling /readyz with a deadline
      }
      throw new IllegalStateException("payments not READY within 60 s");
    }

    URI admin(String path) {
      return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    /** The status of GET {@code path} within 1 s, or -1 (no answer in time, refused). */
    int get(String path) {
      try {
        return HTTP.send(HttpRequest.newBuilder(admin(path)).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    long rssKib() throws IOException {
      return LoadRun.rssKib(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Raw HTTP/2 frames (RFC 9113), as the report's probes sent them. */
  static final class H2 {
    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int GOAWAY = 0x7;

    record Frame(int type, int flags, int stream, byte[] payload) {}

    static byte[] preface() throws IOException {
      var out = new ByteArrayOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      frame(out, SETTINGS, 0, 0, new byte[0]);
      return out.toByteArray();
    }

    /** {@code count} streams from {@code firstStream} on, HEADERS only (and RST_STREAM CANCEL each, with {@code reset}). */
    static byte[] headersOnly(int firstStream, int count, String path, boolean reset, String... extra) throws IOException {
      var block = new ByteArrayOutputStream();
      List<String[]> fields = new ArrayList<>(List.of(new String[][] {{":method", "POST"}, {":scheme", "http"},
          {":path", path}, {":authority", "x"}, {"content-type", "application/grpc"}, {"te", "trailers"}}));
      for (int i = 0; i + 1 < extra.length; i += 2) {
        fields.add(new String[] {extra[i], extra[i + 1]});
      }
      for (String[] field : fields) {
        block.write(0x00); // literal without indexing, new name
        for (String part : field) {
          byte[] bytes = part.getBytes(StandardCharsets.US_ASCII);
          block.write(bytes.length);
          block.write(bytes);
        }
      }
      var out = new ByteArrayOutputStream();
      for (int i = 0; i < count; i++) {
        int stream = firstStream + 2 * i;
        frame(out, HEADERS, 0x4, stream, block.toByteArray());
        if (reset) {
          frame(out, RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt(0x8).array());
        }
      }
      return out.toByteArray();
    }

    /** {@code count} whole calls from {@code firstStream} on, each with a request that is not protobuf. */
    static byte[] invalidCalls(int firstStream, int count, String path) throws IOException {
      byte[] headers = headersOnly(firstStream, 1, path, false);
      byte[] block = java.util.Arrays.copyOfRange(headers, 9, headers.length);
      byte[] message = {0, 0, 0, 0, 4, -1, -1, -1, -1}; // uncompressed, 4 bytes: an invalid tag
      var out = new ByteArrayOutputStream();
      for (int i = 0; i < count; i++) {
        int stream = firstStream + 2 * i;
        frame(out, HEADERS, 0x4, stream, block);
        frame(out, DATA, 0x1, stream, message); // END_STREAM
      }
      return out.toByteArray();
    }

    static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
      ByteBuffer header = ByteBuffer.allocate(9);
      header.put((byte) (payload.length >>> 16)).putShort((short) payload.length).put((byte) type).put((byte) flags).putInt(stream);
      out.write(header.array());
      out.write(payload);
    }

    /** The next frame, or null when none arrives within the socket's timeout; acknowledges SETTINGS. */
    static Frame read(Socket socket, DataInputStream in) throws IOException {
      int length;
      try {
        length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      } catch (SocketTimeoutException quiet) {
        return null;
      }
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      Frame frame = new Frame(type, flags, stream, in.readNBytes(length));
      if (type == SETTINGS && (flags & 1) == 0) {
        frame(socket.getOutputStream(), SETTINGS, 1, 0, new byte[0]);
      }
      return frame;
    }

    static long setting(byte[] payload, int id) {
      ByteBuffer settings = ByteBuffer.wrap(payload);
      while (settings.remaining() >= 6) {
        int key = settings.getShort() & 0xffff;
        long value = settings.getInt() & 0xffffffffL;
        if (key == id) {
          return value;
        }
      }
      return -1;
    }
  }
}
