package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void toStringIsMasked() {
    assertThat(Secret.of("s3cr3t").toString()).isEqualTo("******");
    assertThat(String.valueOf(Secret.of("s3cr3t"))).doesNotContain("s3cr3t");
  }

  @Test
  void plaintextOnlyThroughAnExplicitCall() {
    Secret secret = Secret.of("s3cr3t");
    assertThat(secret.reveal()).isEqualTo("s3cr3t");
    char[][] seen = new char[1][];
    int length = secret.use(chars -> {
      seen[0] = chars;
      return chars.length;
    });
    assertThat(length).isEqualTo(6);
    assertThat(seen[0]).containsOnly('\0');
  }

  @Test
  void equalsComparesValuesAndHashCodeRevealsNothing() {
    assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).isNotEqualTo(Secret.of("b"));
    assertThat(Secret.of("a").hashCode()).isEqualTo(Secret.of("completely different").hashCode());
  }
}
