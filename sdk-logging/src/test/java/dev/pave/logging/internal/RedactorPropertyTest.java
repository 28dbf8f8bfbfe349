package dev.pave.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pave.logging.GeneratedSecrets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redaction as a property (issue 16, item 1): for thousands of generated card numbers and
 * credential pairs (random digits, grouping, separators, surroundings, names, case and assignment
 * forms; fixed seeds, so a failure replays), the plaintext never survives.
 */
class RedactorPropertyTest {

  private final Redactor redactor = Redactor.create(List.of());

  @Test
  void noGeneratedCardNumberOrCredentialSurvivesRedaction() {
    int checked = 0;
    for (long seed = 1; seed <= 5; seed++) {
      for (GeneratedSecrets.Case c : GeneratedSecrets.cases(seed, 2_000)) {
        assertThat(c.message()).contains(c.plaintext()); // the generator put the secret in the message
        assertThat(redactor.redact(c.message())).as("seed %d: %s", seed, c.message()).doesNotContain(c.plaintext());
        checked++;
      }
    }
    System.out.println("redaction property: " + checked + " generated cases, 0 plaintext");
    assertThat(checked).isEqualTo(10_000);
  }
}
