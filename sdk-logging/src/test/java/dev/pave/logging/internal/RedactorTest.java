package dev.pave.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private final Redactor redactor = Redactor.create(List.of("iban=(\\w+)", "internal-\\d+"));

  /** The keyword pre-check is written out by first letter: every credential name must pass it. */
  @Test
  void everyCredentialName_isMaskedAsAFieldName_andAsAPairInAMessage_andInProse() {
    for (String name : dev.pave.config.Credentials.NAMES) {
      assertThat(redactor.isSensitiveName(name)).as(name).isTrue();
      assertThat(redactor.isSensitiveName("db_" + name.toUpperCase(java.util.Locale.ROOT))).as(name).isTrue();
      assertThat(redactor.redact("connecting with " + name + "=s3cr3tValue now")).as(name).doesNotContain("s3cr3tValue");
      if (!name.equals("authorization")) { // its own rule, the header form; "authorization is required" is prose about it
        assertThat(redactor.redact("the " + name + " is s3cr3tValue")).as(name).doesNotContain("s3cr3tValue");
        assertThat(redactor.redact("using " + name + " 's3cr3t Value'")).as(name).doesNotContain("s3cr3t Value");
      }
    }
  }

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
  void redact_securityReportD8Gaps_thatAreClosed() {
    // Card numbers grouped by other separators (c04-c09, c12; G34 through a gRPC field).
    assertThat(redactor.redact("4111.1111.1111.1111")).isEqualTo("****.****.****.1111");
    assertThat(redactor.redact("4111  1111  1111  1111")).isEqualTo("****  ****  ****  1111");
    assertThat(redactor.redact("4111 - 1111 - 1111 - 1111")).isEqualTo("**** - **** - **** - 1111");
    assertThat(redactor.redact("4111\t1111\t1111\t1111")).isEqualTo("****\t****\t****\t1111");
    assertThat(redactor.redact("4111_1111_1111_1111")).isEqualTo("****_****_****_1111");
    assertThat(redactor.redact("4111/1111/1111/1111")).isEqualTo("****/****/****/1111");
    assertThat(redactor.redact("4111\u00a01111\u00a01111\u00a01111")).endsWith("1111").doesNotContain("4111");
    // Bearer variants (c33, c34, c38) and a URL with an empty user name (c61).
    assertThat(redactor.redact("Bearer:tok123")).isEqualTo("Bearer:******");
    assertThat(redactor.redact("Bearer=tok123")).isEqualTo("Bearer=******");
    assertThat(redactor.redact("bearer\u00a0tok123")).isEqualTo("bearer\u00a0******");
    assertThat(redactor.redact("redis://:s3cr3t@cache:6379")).isEqualTo("redis://:******@cache:6379");
    // Field names (c101-c103, c106, c107, c111, c114, c115).
    for (String name : List.of("secrets", "cookies", "auth", "tokens", "jwt", "session", "password ", "password\u200b",
        "pass_word", "api-key")) {
      assertThat(redactor.isSensitiveName(name)).as(name).isTrue();
    }
    // Header maps as Java prints them (c35, c36; G34), "=>" (c55), XML (c56), pass/pw (c59, c60),
    // PEM bodies (c70), a char[] argument (c73).
    assertThat(redactor.redact("{Authorization=[Bearer tok123]}")).isEqualTo("{Authorization=[Bearer ******]}");
    assertThat(redactor.redact("{authorization=[Basic dXNlcjpw]}")).isEqualTo("{authorization=[Basic ******]}");
    assertThat(redactor.redact("\"password\" => \"hunter2\"")).isEqualTo("\"password\" => \"******\"");
    assertThat(redactor.redact("<password>hunter2</password>")).isEqualTo("<password>******</password>");
    assertThat(redactor.redact("<db_password>hunter2</db_password>")).isEqualTo("<db_password>******</db_password>");
    assertThat(redactor.redact("pass=hunter2 pw=hunter3")).isEqualTo("pass=****** pw=******");
    assertThat(redactor.redact("bypass=true compass=north")).isEqualTo("bypass=true compass=north");
    assertThat(redactor.redact("private_key=-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEF\n-----END PRIVATE KEY-----"))
        .doesNotContain("MIIEvQIBADANBgkq").doesNotContain("hkiG9w0BAQEF");
    assertThat(redactor.redact("password=[h, u, n, t, e, r, 2]")).isEqualTo("password=[******]");
    // Not masked: ordinary numbers and names.
    assertThat(redactor.redact("order 42 took 1.25 ms")).isEqualTo("order 42 took 1.25 ms");
    assertThat(redactor.isSensitiveName("order.id")).isFalse();
  }

  @Test
  void whereAValueEnds_andProse_asDocumented() {
    // Security report c53, c54, c65, c66, c74: a value runs to the next pair or the end of the line.
    assertThat(redactor.redact("password=abc def")).isEqualTo("password=******");
    assertThat(redactor.redact("password=abc;def, user=bob")).isEqualTo("password=******, user=bob");
    assertThat(redactor.redact("password=abc,def")).isEqualTo("password=******");
    assertThat(redactor.redact("password=x user=bob")).isEqualTo("password=****** user=bob");
    assertThat(redactor.redact("?password=x&user=bob")).isEqualTo("?password=******&user=bob");
    assertThat(redactor.redact("password=x\nnext line")).isEqualTo("password=******\nnext line");
    assertThat(redactor.redact("{\"password\":\"abc\\\"def\",\"user\":\"bob\"}"))
        .isEqualTo("{\"password\":\"******\",\"user\":\"bob\"}");
    // The price, documented: what follows an unquoted password on its line is masked too.
    assertThat(redactor.redact("login password=x from 10.0.0.1")).isEqualTo("login password=******");
    // Prose (c57, c80); a word about the credential is kept.
    assertThat(redactor.redact("the password is hunter2")).isEqualTo("the password is ******");
    assertThat(redactor.redact("db password 'hunter2'")).isEqualTo("db password '******'");
    assertThat(redactor.redact("the password is required")).isEqualTo("the password is required");
    assertThat(redactor.redact("password was rotated")).isEqualTo("password was rotated");
    // An '@' in a URL password (c63); a '@' after the host stays.
    assertThat(redactor.redact("https://user:SEC@RET@host/x?mail=a@b.c")).isEqualTo("https://user:******@host/x?mail=a@b.c");
    // Full-width digits and zero-width separators (c10, c11).
    assertThat(redactor.redact("pan \uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11"))
        .endsWith("\uff11\uff11\uff11\uff11").doesNotContain("\uff14\uff11\uff11\uff11\uff11");
    assertThat(redactor.redact("pan 4111\u200b1111\u200b1111\u200b1111")).doesNotContain("4111\u200b1111");
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
