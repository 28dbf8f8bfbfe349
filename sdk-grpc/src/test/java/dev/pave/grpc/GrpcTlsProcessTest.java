package dev.pave.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pave.grpc.TestCertificates.Issued;
import dev.pave.grpc.TestCertificates.SecretVolume;
import dev.pave.grpc.test.EchoRequest;
import dev.pave.grpc.test.TestServiceGrpc;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS as deployed: a Pave service in a child JVM, configured only by environment variables
 * ({@code GRPC_SERVER_TLS_DIR} pointing at a directory laid out as the kubelet mounts a Secret),
 * called over 127.0.0.1 from this JVM. The certificate is rotated the kubelet's way (a new
 * {@code ..data}) under load: 0 failed calls, new handshakes get the new certificate, and
 * {@code /metrics} shows its expiry. A client without a certificate is refused; a start with an
 * expired certificate fails, naming the key.
 */
class GrpcTlsProcessTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();
  private final Issued ca = TestCertificates.ca("pave-test-ca");

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private DrainTestServer.Launched start(String name, Path tlsDir) throws IOException {
    // The TLS settings, as a Deployment gives them.
    DrainTestServer.Launched child = DrainTestServer.launch(dir, name, List.of(), Map.of(
        "LIFECYCLE_DRAIN_DELAY_ON_SIGNAL", "0s", "GRPC_SERVER_ACCESS_LOG_LEVEL", "OFF",
        "GRPC_SERVER_TLS_DIR", tlsDir.toString(), "GRPC_SERVER_TLS_CLIENT_AUTH", "REQUIRE",
        "GRPC_SERVER_TLS_REFRESH_INTERVAL", "200ms"));
    children.add(child.process());
    return child;
  }

  private static ChannelCredentials credentials(Path files, boolean withCertificate) throws IOException {
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(files.resolve("ca.crt").toFile());
    if (withCertificate) {
      b.keyManager(files.resolve("tls.crt").toFile(), files.resolve("tls.key").toFile());
    }
    return b.build();
  }

  private static Status.Code echo(Channel channel) {
    try {
      TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .echo(EchoRequest.newBuilder().setMessage("card 4111111111111111").build());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static String metrics(int adminPort) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The serial of the certificate a new TLS handshake with the server gets. */
  private static BigInteger servedSerial(int port, Issued client, Issued ca) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("client", client.key(), new char[0], new Certificate[] {client.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  @Test
  void aRotationUnderLoad_failsNoCall_newHandshakesGetTheNewCertificate_andMetricsShowItsExpiry() throws Exception {
    Issued first = TestCertificates.leaf(ca, "payments-1", Duration.ofDays(30));
    Issued second = TestCertificates.leaf(ca, "payments-2", Duration.ofDays(60));
    Issued client = TestCertificates.leaf(ca, "checkout", Duration.ofDays(30));
    SecretVolume serverVolume = new SecretVolume(dir.resolve("server-tls"), first.secret(ca));
    Path clientFiles = new SecretVolume(dir.resolve("client-tls"), client.secret(ca)).path();
    DrainTestServer.Launched child = start("tls", serverVolume.path());
    assertThat(child.process().isAlive()).as("started").isTrue();
    double firstExpiry = first.certificate().getNotAfter().getTime() / 1000.0;
    assertThat(Scrape.value(metrics(child.adminPort()), "pave_tls_certificate_expiration_timestamp_seconds",
        "role=\"server\"")).isEqualTo(firstExpiry);

    // A client without a certificate is refused; with one, served.
    ManagedChannel anonymous = Grpc.newChannelBuilderForAddress("127.0.0.1", child.grpcPort(),
        credentials(clientFiles, false)).build();
    try {
      assertThat(echo(anonymous)).isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      anonymous.shutdownNow();
    }

    // Load: four threads on one Pave client channel (its connections live through the rotation)
    // and one that opens a new connection for every call (each a new handshake).
    SimpleMeterRegistry clientMeters = new SimpleMeterRegistry();
    GrpcChannels channels = GrpcChannels.builder().meterRegistry(clientMeters)
        .openTelemetry(io.opentelemetry.api.OpenTelemetry.noop()).build();
    Channel pave = channels.channel(GrpcClientSettings.builder("payments", "dns:///127.0.0.1:" + child.grpcPort())
        .retryMaxAttempts(1).breakerEnabled(false).tls(GrpcTls.fromDirectory(clientFiles)).build());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong calls = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicReference<Status.Code> firstFailure = new AtomicReference<>();
    ExecutorService load = Executors.newFixedThreadPool(5);
    List<Future<?>> workers = new ArrayList<>();
    Instant bound = Instant.now().plus(WAIT); // the loops stop by themselves
    for (int i = 0; i < 5; i++) {
      boolean fresh = i == 4;
      workers.add(load.submit(() -> {
        while (!stop.get() && Instant.now().isBefore(bound)) {
          Status.Code code;
          if (fresh) {
            ManagedChannel once;
            try {
              once = Grpc.newChannelBuilderForAddress("127.0.0.1", child.grpcPort(), credentials(clientFiles, true)).build();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            code = echo(once);
            once.shutdownNow();
          } else {
            code = echo(pave);
          }
          calls.incrementAndGet();
          if (code != Status.Code.OK) {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, code);
          }
        }
        return null;
      }));
    }
    try {
      await().atMost(WAIT).until(() -> calls.get() >= 200);
      BigInteger before = servedSerial(child.grpcPort(), client, ca);
      assertThat(before).isEqualTo(first.certificate().getSerialNumber());

      serverVolume.publish(second.secret(ca)); // the kubelet's swap of ..data

      await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
          .until(() -> servedSerial(child.grpcPort(), client, ca).equals(second.certificate().getSerialNumber()));
      long atRotation = calls.get();
      await().atMost(WAIT).until(() -> calls.get() >= atRotation + 200);
    } finally {
      stop.set(true);
      for (Future<?> worker : workers) {
        worker.get(30, TimeUnit.SECONDS);
      }
      load.shutdownNow();
      channels.close(Duration.ofSeconds(5));
    }
    System.out.println("TLS rotation under load: " + calls.get() + " calls, " + failed.get() + " failed");
    assertThat(failed.get()).as("failed calls (first: %s)", firstFailure.get()).isZero();

    String scrape = metrics(child.adminPort());
    assertThat(Scrape.value(scrape, "pave_tls_certificate_expiration_timestamp_seconds", "role=\"server\""))
        .isEqualTo(second.certificate().getNotAfter().getTime() / 1000.0);
    assertThat(Scrape.value(scrape, "pave_tls_reloads_total", "role=\"server\"", "result=\"success\"")).isEqualTo(1.0);
    assertThat(Scrape.value(scrape, "pave_tls_reloads_total", "role=\"server\"", "result=\"failure\"")).isZero();

    child.jvm().sigterm();
    assertThat(child.jvm().awaitExit(WAIT)).isZero();
    String output = child.jvm().stdoutText();
    assertThat(output).contains("TLS material reloaded").contains("CN=payments-2")
        .doesNotContain(second.keyPem().split("\n")[1]);
  }

  @Test
  void aServiceWithAnExpiredCertificate_refusesToStart_namingTheKeyAndTheFile() throws Exception {
    Issued expired = TestCertificates.leaf(ca, "payments-old", Instant.now().minus(Duration.ofDays(90)),
        Instant.now().minus(Duration.ofDays(1)));
    Path volume = new SecretVolume(dir.resolve("expired-tls"), expired.secret(ca)).path();

    DrainTestServer.Launched child = start("expired", volume);

    assertThat(child.jvm().awaitExit(WAIT)).isNotZero();
    assertThat(child.jvm().stdoutText())
        // The file named by its tail: the temporary directory's random digits can pass the card
        // number check and be masked in the log, as redaction prefers a false positive to a leak.
        .contains("grpc.server.tls.dir", "expired-tls/tls.crt", "CN=payments-old", "expired on");
  }
}
