package dev.pave.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import dev.pave.testing.conformance.fixtures.violating.SleepsInHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrozenPlatformRulesTest {

  private final ClassFileImporter importer = new ClassFileImporter();

  @AfterEach
  void resetArchUnitConfiguration() {
    ArchConfiguration.get().reset();
  }

  @Test
  void frozenRule_acceptsRecordedViolations_butFailsOnANewOne(@TempDir Path store) throws IOException {
    ArchConfiguration.get().setProperty("freeze.store.default.path", store.toString());
    ArchConfiguration.get().setProperty("freeze.store.default.allowStoreCreation", "true");

    // First run: today's violation is recorded in the store, the build passes.
    FreezingArchRule.freeze(PlatformRules.NO_SLEEP).check(importer.importClasses(SleepsInHandler.class));
    try (Stream<Path> files = Files.list(store)) {
      assertThat(files).isNotEmpty();
    }

    // Later run: the old violation is still listed as known, a new class with the same
    // violation fails the build, naming only the new class.
    ArchRule frozenAgain = FreezingArchRule.freeze(PlatformRules.NO_SLEEP);
    assertThatThrownBy(() -> frozenAgain.check(importer.importClasses(SleepsInHandler.class, NewSleeper.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("PAVE-009")
        .hasMessageContaining(NewSleeper.class.getName())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SleepsInHandler.class.getName() + "."));
  }

  @Test
  void frozenRulesCoverEveryPlatformRule() {
    assertThat(Stream.of(FrozenPlatformRules.class.getDeclaredFields())
            .filter(f -> ArchRule.class.isAssignableFrom(f.getType())))
        .hasSize(PlatformRules.all().size());
  }

  /** A violation added after the store was recorded. */
  static final class NewSleeper {
    void pause() throws InterruptedException {
      Thread.sleep(10);
    }
  }
}
