package dev.pave.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.pave.testing.conformance.fixtures.compliant.CompliantService;
import dev.pave.testing.conformance.fixtures.violating.AddsShutdownHook;
import dev.pave.testing.conformance.fixtures.violating.BuildsNettyServer;
import dev.pave.testing.conformance.fixtures.violating.BuildsRawChannel;
import dev.pave.testing.conformance.fixtures.violating.PlainTextSecrets;
import dev.pave.testing.conformance.fixtures.violating.PrintsToStdout;
import dev.pave.testing.conformance.fixtures.violating.ReadsEnvironment;
import dev.pave.testing.conformance.fixtures.violating.SetsUpOpenTelemetry;
import dev.pave.testing.conformance.fixtures.violating.SleepsInHandler;
import dev.pave.testing.conformance.fixtures.violating.StartsRawThread;
import dev.pave.testing.conformance.fixtures.violating.SwallowingGrpcService;
import dev.pave.testing.conformance.fixtures.violating.UsesCommonsLogging;
import dev.pave.testing.conformance.fixtures.violating.UsesJulLogger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlatformRulesTest {

  private static final ClassFileImporter IMPORTER = new ClassFileImporter();

  @AfterEach
  void resetArchUnitConfiguration() {
    ArchConfiguration.get().reset();
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of(PlatformRules.NO_STANDARD_STREAMS, PrintsToStdout.class),
        Arguments.of(PlatformRules.SLF4J_ONLY, UsesJulLogger.class),
        Arguments.of(PlatformRules.SLF4J_ONLY, UsesCommonsLogging.class),
        Arguments.of(PlatformRules.NO_RAW_CONFIGURATION, ReadsEnvironment.class),
        Arguments.of(PlatformRules.NO_SHUTDOWN_HOOKS, AddsShutdownHook.class),
        Arguments.of(PlatformRules.NO_RAW_GRPC_BUILDERS, BuildsRawChannel.class),
        Arguments.of(PlatformRules.NO_RAW_GRPC_BUILDERS, BuildsNettyServer.class),
        Arguments.of(PlatformRules.NO_RAW_THREADS, StartsRawThread.class),
        Arguments.of(PlatformRules.SECRETS_ARE_TYPED, PlainTextSecrets.class),
        Arguments.of(PlatformRules.NO_OPENTELEMETRY_SETUP, SetsUpOpenTelemetry.class),
        Arguments.of(PlatformRules.NO_SLEEP, SleepsInHandler.class),
        Arguments.of(PlatformRules.GRPC_SERVICES_DO_NOT_CATCH_ALL, SwallowingGrpcService.class));
  }

  @ParameterizedTest(name = "{0} fails on {1}")
  @MethodSource("violations")
  void eachRuleFailsOnItsViolatingFixture_namingClassAndRuleId(PaveRule rule, Class<?> fixture) {
    JavaClasses classes = IMPORTER.importClasses(fixture, PlainTextSecrets.Holder.class);

    assertThatThrownBy(() -> rule.check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("[" + rule.id() + "]")
        .hasMessageContaining(fixture.getName())
        .hasMessageContaining("because");
  }

  @Test
  void secretRule_reportsEachPlainTextField() {
    JavaClasses classes = IMPORTER.importClasses(PlainTextSecrets.class, PlainTextSecrets.Holder.class);

    assertThat(PlatformRules.SECRETS_ARE_TYPED.evaluate(classes).getFailureReport().getDetails())
        .anySatisfy(line -> assertThat(line).contains("PlainTextSecrets.apiKey"))
        .anySatisfy(line -> assertThat(line).contains("PlainTextSecrets.dbPassword"))
        .anySatisfy(line -> assertThat(line).contains("Holder.clientSecret"));
  }

  @Test
  void everyRulePassesOnTheCompliantFixture() {
    JavaClasses classes = IMPORTER.importPackagesOf(CompliantService.class);
    assertThat(classes).isNotEmpty();

    for (PaveRule rule : PlatformRules.all()) {
      assertThat(rule.evaluate(classes).hasViolation()).as(rule.getDescription()).isFalse();
    }
  }

  @Test
  void rulesHaveStableUniqueIdsInOrder() {
    assertThat(PlatformRules.all()).extracting(PaveRule::id).containsExactly(
        "PAVE-001", "PAVE-002", "PAVE-003", "PAVE-004", "PAVE-005",
        "PAVE-006", "PAVE-007", "PAVE-008", "PAVE-009", "PAVE-010", "PAVE-011");
    assertThat(PlatformRules.all()).allSatisfy(rule ->
        assertThat(rule.getDescription()).startsWith("[" + rule.id() + "] ").contains(" because "));
  }

  @Test
  void aRuleSwitchedOffWithAReasonPassesAndSaysWhy() {
    JavaClasses classes = IMPORTER.importClasses(SleepsInHandler.class);
    ArchConfiguration.get().setProperty("pave.rules.PAVE-009.disabled", "legacy poller, PLAT-42");

    assertThat(PlatformRules.NO_SLEEP.evaluate(classes).hasViolation()).isFalse();
    assertThat(PlatformRules.NO_SLEEP.getDescription()).endsWith("[switched off: legacy poller, PLAT-42]");
    // the other rules stay on
    assertThatThrownBy(() -> PlatformRules.NO_STANDARD_STREAMS.check(
        IMPORTER.importClasses(PrintsToStdout.class))).isInstanceOf(AssertionError.class);
  }

  @Test
  void switchingOffWithoutAReasonIsAnErrorNamingTheKey() {
    JavaClasses classes = IMPORTER.importClasses(SleepsInHandler.class);
    ArchConfiguration.get().setProperty("pave.rules.PAVE-009.disabled", "true");

    assertThatThrownBy(() -> PlatformRules.NO_SLEEP.check(classes))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pave.rules.PAVE-009.disabled")
        .hasMessageContaining("no reason");
  }
}
