package dev.pave.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pave.config.Config;
import dev.pave.config.ConfigException;
import dev.pave.grpc.TestCertificates.Issued;
import dev.pave.grpc.TestCertificates.SecretVolume;
import dev.pave.grpc.test.EchoRequest;
import dev.pave.grpc.test.TestServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS between Pave's server and client on 127.0.0.1, with certificates made in the
 * test; the start refused for missing, expired, mismatched and PKCS#1 material; a broken change of
 * the files refused while the previous certificate stays in use. The rotation under load, across
 * processes, is {@link GrpcTlsProcessTest}.
 */
class GrpcTlsTest {

  @TempDir Path dir;

  private final TestTelemetry telemetry = new TestTelemetry();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final GrpcChannels channels = GrpcChannels.builder().meterRegistry(registry).openTelemetry(telemetry.sdk).build();
  private final Issued ca = TestCertificates.ca("pave-test-ca");
  private GrpcServer server;

  @AfterEach
  void stop() throws InterruptedException {
    channels.close(Duration.ofSeconds(2));
    if (server != null) {
      server.stop(Duration.ofSeconds(2));
    }
    telemetry.close();
  }

  private GrpcServer start(GrpcTls tls) throws Exception {
    server = GrpcServer.builder()
        .settings(GrpcServerSettings.builder().host("127.0.0.1").port(0).tls(tls).build())
        .meterRegistry(registry)
        .openTelemetry(telemetry.sdk)
        .build()
        .addService(new EchoService("tls", null));
    server.start();
    return server;
  }

  private Status.Code call(String client, GrpcTls tls) {
    GrpcClientSettings.Builder settings = GrpcClientSettings.builder(client, "dns:///127.0.0.1:" + server.port())
        .retryMaxAttempts(1).breakerEnabled(false);
    if (tls != null) {
      settings.tls(tls);
    }
    try {
      String reply = TestServiceGrpc.newBlockingStub(channels.channel(settings.build()))
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .echo(EchoRequest.newBuilder().setMessage("over tls").build())
          .getMessage();
      assertThat(reply).isEqualTo("over tls");
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private Path secret(String name, Map<String, String> files) {
    return new SecretVolume(dir.resolve(name), files).path();
  }

  private Path caOnly(String name, Issued trusted) {
    return secret(name, Map.of(GrpcTls.CA_FILE, trusted.certificatePem()));
  }

  @Test
  void aTlsCall_throughPavesServerAndClient_andAPlaintextClientIsRefused() throws Exception {
    Issued leaf = TestCertificates.leaf(ca, "payments", Duration.ofDays(30));
    start(GrpcTls.fromDirectory(secret("server", leaf.secret(ca))));

    assertThat(call("tls", GrpcTls.fromDirectory(caOnly("client", ca)))).isEqualTo(Status.Code.OK);
    assertThat(call("plaintext", null)).isEqualTo(Status.Code.UNAVAILABLE);
    // A client that trusts another CA refuses the server.
    Issued otherCa = TestCertificates.ca("other-ca");
    assertThat(call("other-ca", GrpcTls.fromDirectory(caOnly("other", otherCa)))).isEqualTo(Status.Code.UNAVAILABLE);
    // The expiry of the certificate served, for the alert.
    assertThat(Scrape.value(registry.scrape(), "pave_tls_certificate_expiration_timestamp_seconds",
        "role=\"server\"", "name=\"grpc-server\""))
        .isEqualTo(leaf.certificate().getNotAfter().getTime() / 1000.0);
  }

  @Test
  void mutualTls_aClientWithACertificateIsServed_oneWithoutOrWithAForeignOneIsRefused() throws Exception {
    Issued serverLeaf = TestCertificates.leaf(ca, "payments", Duration.ofDays(30));
    start(GrpcTls.fromDirectory(secret("server", serverLeaf.secret(ca))).withClientAuth(GrpcTls.ClientAuth.REQUIRE));
    Issued clientLeaf = TestCertificates.leaf(ca, "checkout", Duration.ofDays(30));
    Issued otherCa = TestCertificates.ca("other-ca");
    Issued foreign = TestCertificates.leaf(otherCa, "intruder", Duration.ofDays(30));
    Map<String, String> foreignFiles = new HashMap<>(foreign.secret(otherCa));
    foreignFiles.put(GrpcTls.CA_FILE, ca.certificatePem()); // trusts the server, but signed by another CA

    assertThat(call("mtls", GrpcTls.fromDirectory(secret("client", clientLeaf.secret(ca))))).isEqualTo(Status.Code.OK);
    assertThat(call("no-certificate", GrpcTls.fromDirectory(caOnly("ca-only", ca)))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(call("foreign", GrpcTls.fromDirectory(secret("foreign", foreignFiles)))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Scrape.value(registry.scrape(), "pave_tls_certificate_expiration_timestamp_seconds",
        "role=\"client\"", "name=\"mtls\""))
        .isEqualTo(clientLeaf.certificate().getNotAfter().getTime() / 1000.0);
  }

  @Test
  void theStartIsRefused_namingTheKeyAndTheFile_forMissingExpiredMismatchedOrPkcs1Material() throws Exception {
    Issued leaf = TestCertificates.leaf(ca, "payments", Duration.ofDays(30));
    Issued other = TestCertificates.leaf(ca, "other", Duration.ofDays(30));
    Issued expired = TestCertificates.leaf(ca, "old", Instant.now().minus(Duration.ofDays(10)),
        Instant.now().minus(Duration.ofDays(1)));
    Map<String, String> mismatched = new HashMap<>(leaf.secret(ca));
    mismatched.put(GrpcTls.PRIVATE_KEY_FILE, other.keyPem());
    Map<String, String> pkcs1 = new HashMap<>(leaf.secret(ca));
    pkcs1.put(GrpcTls.PRIVATE_KEY_FILE, TestCertificates.pem("EC PRIVATE KEY", new byte[] {1, 2, 3}));
    Map<String, String> noCa = new HashMap<>(leaf.secret(ca));
    noCa.remove(GrpcTls.CA_FILE);

    assertThat(refusal(GrpcTls.fromDirectory(dir.resolve("nowhere"))))
        .contains("grpc.server.tls.dir", "tls.crt not found", "kubernetes.io/tls Secret");
    assertThat(refusal(GrpcTls.fromDirectory(secret("expired", expired.secret(ca)))))
        .contains("grpc.server.tls.dir", "tls.crt", "expired on", "CN=old");
    assertThat(refusal(GrpcTls.fromDirectory(secret("mismatched", mismatched))))
        .contains("grpc.server.tls.dir", "tls.key is not the private key of the certificate", "CN=payments")
        .doesNotContain(other.keyPem().split("\n")[1]); // nothing of the key is quoted
    assertThat(refusal(GrpcTls.fromDirectory(secret("pkcs1", pkcs1))))
        .contains("grpc.server.tls.dir", "SEC1 EC private key; expected PKCS#8", "spec.privateKey.encoding: PKCS8");
    assertThat(refusal(GrpcTls.fromDirectory(secret("no-ca", noCa)).withClientAuth(GrpcTls.ClientAuth.REQUIRE)))
        .contains("grpc.server.tls.dir", "ca.crt not found");
  }

  private String refusal(GrpcTls tls) {
    GrpcServer refused = GrpcServer.builder()
        .settings(GrpcServerSettings.builder().host("127.0.0.1").port(0).tls(tls).build())
        .meterRegistry(registry)
        .openTelemetry(telemetry.sdk)
        .build()
        .addService(new EchoService("refused", null));
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(refused::start);
    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    assertThat(refused.isRunning()).isFalse();
    return thrown.getMessage();
  }

  @Test
  void aBrokenChangeOfTheFiles_isRefusedAndCounted_andTheCertificateInUseStays() throws Exception {
    Issued first = TestCertificates.leaf(ca, "first", Duration.ofDays(30));
    SecretVolume volume = new SecretVolume(dir.resolve("server"), first.secret(ca));
    start(GrpcTls.fromDirectory(volume.path()).withRefreshInterval(Duration.ofMillis(50)));
    Map<String, String> broken = new HashMap<>(TestCertificates.leaf(ca, "second", Duration.ofDays(30)).secret(ca));
    broken.put(GrpcTls.PRIVATE_KEY_FILE, first.keyPem()); // a key written before its certificate

    volume.publish(broken);

    await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.value(registry.scrape(), "pave_tls_reloads_total",
        "role=\"server\"", "result=\"failure\"") == 1.0);
    assertThat(call("after-broken-change", GrpcTls.fromDirectory(caOnly("client", ca)))).isEqualTo(Status.Code.OK);
    assertThat(Scrape.value(registry.scrape(), "pave_tls_certificate_expiration_timestamp_seconds", "role=\"server\""))
        .isEqualTo(first.certificate().getNotAfter().getTime() / 1000.0);

    Issued third = TestCertificates.leaf(ca, "third", Duration.ofDays(60));
    volume.publish(third.secret(ca));

    await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.value(registry.scrape(),
        "pave_tls_certificate_expiration_timestamp_seconds", "role=\"server\"")
        == third.certificate().getNotAfter().getTime() / 1000.0);
    assertThat(Scrape.value(registry.scrape(), "pave_tls_reloads_total", "role=\"server\"", "result=\"success\""))
        .isEqualTo(1.0);
    assertThat(Scrape.value(registry.scrape(), "pave_tls_reloads_total", "role=\"server\"", "result=\"failure\""))
        .isEqualTo(1.0); // one broken change, reported once
  }

  @Test
  void theKeysBindFromConfiguration_andClientAuthWithoutADirectoryIsAnError() {
    Path tlsDir = dir.resolve("tls");
    // As a Deployment sets them (env) and as -D does.
    Config config = Config.builder()
        .environment(Map.of("GRPC_SERVER_TLS_DIR", tlsDir.toString(), "GRPC_SERVER_TLS_CLIENT_AUTH", "require",
            "GRPC_CLIENTS_PAYMENTS_TARGET", "dns:///payments:8080", "GRPC_CLIENTS_PAYMENTS_TLS_DIR", tlsDir.toString(),
            "GRPC_CLIENTS_PLAIN_TARGET", "dns:///plain:8080"))
        .systemProperties(Map.of("grpc.server.tls.refresh-interval", "10s",
            "grpc.clients.public.target", "dns:///api.example.com:443", "grpc.clients.public.tls.enabled", "true"))
        .build();

    assertThat(GrpcServerSettings.from(config).tls()).contains(
        GrpcTls.fromDirectory(tlsDir).withClientAuth(GrpcTls.ClientAuth.REQUIRE).withRefreshInterval(Duration.ofSeconds(10)));
    assertThat(GrpcClientSettings.from(config, "payments").tls()).contains(GrpcTls.fromDirectory(tlsDir));
    assertThat(GrpcClientSettings.from(config, "public").tls()).contains(GrpcTls.systemTrust());
    assertThat(GrpcClientSettings.from(config, "plain").tls()).isEmpty();
    assertThat(GrpcServerSettings.defaults().tls()).isEmpty();

    Config clientAuthAlone = Config.builder().environment(Map.of("GRPC_SERVER_TLS_CLIENT_AUTH", "REQUIRE")).build();
    assertThatThrownBy(() -> GrpcServerSettings.from(clientAuthAlone))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("grpc.server.tls.client-auth")
        .hasMessageContaining("set grpc.server.tls.dir too");
  }

  @Test
  void aServerCannotUseTheJdkTrustStoreAsItsCertificate() {
    assertThatThrownBy(() -> GrpcServerSettings.builder().tls(GrpcTls.systemTrust()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grpc.server.tls.dir");
  }
}
