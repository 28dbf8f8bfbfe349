package dev.pave.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private final Redactor redactor = Redactor.create(List.of("iban=(\\w+)", "internal-\\d+"));

  @Test
  void redact_textWithoutSecrets_returnsTheSameInstance() {
    String message = "order 42 approved for acme in 120 ms";
    assertThat(redactor.redact(message)).isSameAs(message);
  }

  @Test
  void redact_authorizationAndBearer_masksTheCredentialOnly() {
    assertThat(redactor.redact("Authorization: Bearer abc.def-ghi")).isEqualTo("Authorization: Bearer ******");
    assertThat(redactor.redact("authorization=Basic dXNlcjpwYXNz")).isEqualTo("authorization=Basic ******");
    assertThat(redactor.redact("{\"Authorization\":\"Bearer abc\"}")).isEqualTo("{\"Authorization\":\"Bearer ******\"}");
    assertThat(redactor.redact("sent bearer abc123== upstream")).isEqualTo("sent bearer ****** upstream");
  }

  @Test
  void redact_passwordStylePairs_masksValuesInEveryCommonForm() {
    assertThat(redactor.redact("password=hunter2 user=bob")).isEqualTo("password=****** user=bob");
    assertThat(redactor.redact("db_password: hunter2")).isEqualTo("db_password: ******");
    assertThat(redactor.redact("{\"password\":\"hunter 2\"}")).isEqualTo("{\"password\":\"******\"}");
    assertThat(redactor.redact("client_secret='a b c'")).isEqualTo("client_secret='******'");
    assertThat(redactor.redact("?api_key=abc&x=1")).isEqualTo("?api_key=******&x=1");
    assertThat(redactor.redact("max_tokens=5 tokens=7")).isEqualTo("max_tokens=5 tokens=7");
  }

  @Test
  void redact_cardNumbers_masksLuhnValidPansAndKeepsTheLastFour() {
    assertThat(redactor.redact("pan 4111111111111111.")).isEqualTo("pan ************1111.");
    assertThat(redactor.redact("378282246310005")).isEqualTo("***********0005"); // Amex, 15 digits
    assertThat(redactor.redact("5500 0000 0000 0004")).isEqualTo("**** **** **** 0004");
    assertThat(redactor.redact("4111111111111112")).isEqualTo("4111111111111112"); // fails Luhn
    assertThat(redactor.redact("id 41111111111111110000")).isEqualTo("id 41111111111111110000"); // too long
    assertThat(redactor.redact("at 1732700000000 ms")).isEqualTo("at 1732700000000 ms"); // epoch millis
  }

  @Test
  void passesLuhn_knownNumbers() {
    assertThat(Redactor.passesLuhn("79927398713", 0, 11)).isTrue();
    assertThat(Redactor.passesLuhn("79927398710", 0, 11)).isFalse();
  }

  @Test
  void redact_extraPatterns_maskGroupsOrTheWholeMatch() {
    assertThat(redactor.redact("iban=DE89370400440532013000 ok")).isEqualTo("iban=****** ok");
    assertThat(redactor.redact("ref internal-12345 done")).isEqualTo("ref ****** done");
  }

  @Test
  void redact_userInfoInUrls() {
    assertThat(redactor.redact("jdbc:postgresql://app:pw@db/x")).isEqualTo("jdbc:postgresql://app:******@db/x");
  }

  @Test
  void redact_megabyteMessageWithKeywords_completes() {
    String big = "token " + "a".repeat(1024 * 1024) + " password=x";
    assertThat(redactor.redact(big)).endsWith("password=******");
  }

  @Test
  void isSensitiveName_credentialNames() {
    assertThat(redactor.isSensitiveName("password")).isTrue();
    assertThat(redactor.isSensitiveName("db.password")).isTrue();
    assertThat(redactor.isSensitiveName("Authorization")).isTrue();
    assertThat(redactor.isSensitiveName("x-api-key")).isTrue();
    assertThat(redactor.isSensitiveName("order.id")).isFalse();
    assertThat(redactor.isSensitiveName("token.count")).isFalse();
  }

  @Test
  void disabled_leavesTextAlone() {
    assertThat(Redactor.disabled().redact("password=hunter2")).isEqualTo("password=hunter2");
  }

  @Test
  void theMissingSecretHint_passesRedactionUnchanged() {
    // Adoption report 14: the hint read "a line 'inventory.warehouse-token=******'", as if a value
    // had been found.
    record Needs(dev.pave.config.Secret warehouseToken, dev.pave.config.Secret apiKey) {}
    String message = org.assertj.core.api.Assertions.catchThrowable(() -> dev.pave.config.Config.builder()
        .environment(java.util.Map.of()).systemProperties(new java.util.HashMap<>())
        .configDirectory(java.nio.file.Path.of("target", "no-such-dir"))
        .secretsDirectory(java.nio.file.Path.of("target", "no-such-secrets"))
        .build().bind("inventory", Needs.class)).getMessage();
    assertThat(message).contains("a line with the key 'inventory.warehouse-token' and its value");
    assertThat(redactor.redact(message)).isEqualTo(message);
  }
}
