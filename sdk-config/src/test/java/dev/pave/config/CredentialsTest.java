package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one credential list: what /config masks by name and by value (security report D12). */
class CredentialsTest {

  @TempDir Path tmp;

  @Test
  void theReportsCredentials_areMaskedInTheListing_ordinaryValuesAreNot() {
    Map<String, String> env = new HashMap<>();
    // Security report D12: all six came back in clear from /config, with "secret": false.
    env.put("PAYMENTS_WEBHOOK_URL", "https://hook:SECRETURLPW@h/x");
    env.put("PAYMENTS_SIGNING_KEY", "S1");
    env.put("PAYMENTS_ACCESS_KEY", "S2");
    env.put("PAYMENTS_HMAC", "S3");
    env.put("PAYMENTS_BASIC_AUTH", "user:S4");
    env.put("GRPC_CLIENTS_X_AUTHORIZATION", "Bearer_S5");
    // By value, under harmless names:
    env.put("PAYMENTS_CACHE_URL", "redis://:pw-in-url@cache:6379");
    env.put("PAYMENTS_UPSTREAM", "sk_live_4eC39HqLyjWDarjtT1zdp7dc");
    env.put("PAYMENTS_HEADER", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig");
    // Ordinary values stay readable:
    env.put("GRPC_CLIENTS_PAYMENTS_TARGET", "dns:///payments.shop.svc.cluster.local:8080");
    env.put("PAYMENTS_ACQUIRER_LATENCY", "20ms");
    env.put("PAYMENTS_MAIN_CLASS", "dev.pave.samples.payments.PaymentsMain");
    env.put("PAYMENTS_OUTAGE_FILE", "/var/run/payments/acquirer-outage-marker-file");
    env.put("PAYMENTS_DOCS_URL", "https://docs.example.com/payments/v1");
    env.put("PAYMENTS_REGION", "europe-west1-b-production-zone");

    Config config = Config.builder().environment(env).systemProperties(new HashMap<>())
        .configDirectory(tmp.resolve("none")).secretsDirectory(tmp.resolve("no-secrets")).build();
    env.keySet().forEach(name -> config.find(name.toLowerCase().replace('_', '.'), String.class));
    Map<String, String> listed = config.entries().stream()
        .collect(Collectors.toMap(ConfigEntry::key, ConfigEntry::value));

    assertThat(listed).containsEntry("payments.webhook.url", Secret.MASK)
        .containsEntry("payments.signing.key", Secret.MASK)
        .containsEntry("payments.access.key", Secret.MASK)
        .containsEntry("payments.hmac", Secret.MASK)
        .containsEntry("payments.basic.auth", Secret.MASK)
        .containsEntry("grpc.clients.x.authorization", Secret.MASK)
        .containsEntry("payments.cache.url", Secret.MASK)
        .containsEntry("payments.upstream", Secret.MASK)
        .containsEntry("payments.header", Secret.MASK)
        .containsEntry("grpc.clients.payments.target", "dns:///payments.shop.svc.cluster.local:8080")
        .containsEntry("payments.acquirer.latency", "20ms")
        .containsEntry("payments.main.class", "dev.pave.samples.payments.PaymentsMain")
        .containsEntry("payments.outage.file", "/var/run/payments/acquirer-outage-marker-file")
        .containsEntry("payments.docs.url", "https://docs.example.com/payments/v1")
        .containsEntry("payments.region", "europe-west1-b-production-zone");
    assertThat(listed.values()).noneMatch(v -> v.contains("SECRETURLPW") || v.contains("S4") || v.contains("sk_live"));
  }

  @Test
  void namesMatchAsTheEndOfAKeyOrField_inAnyCaseAndSeparator() {
    assertThat(Credentials.isCredentialName("payments.signing-key")).isTrue();
    assertThat(Credentials.isCredentialName("PAYMENTS_SIGNING_KEY")).isTrue();
    assertThat(Credentials.isCredentialName("signingKey")).isTrue();
    assertThat(Credentials.isCredentialName("db.password")).isTrue();
    assertThat(Credentials.isCredentialName("tokenizer")).isFalse();
    assertThat(Credentials.isCredentialName("secrets.dir")).isFalse();
    assertThat(Credentials.isCredentialName("grpc.port")).isFalse();
    assertThat("api_key=abc").containsPattern("(?i)(?:" + Credentials.namesPattern() + ")=");
  }
}
