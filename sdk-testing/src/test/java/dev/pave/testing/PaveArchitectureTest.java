package dev.pave.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pave follows its own conformance idea (design review A13): its main code, every module at once,
 * checked with ArchUnit.
 *
 * <ul>
 *   <li>The modules are layers: sdk-config at the bottom, then sdk-logging, sdk-core, sdk-grpc,
 *       sdk-testing; a module uses only the ones below it.
 *   <li>No module uses another module's {@code .internal} package: what one module offers another
 *       is public API, documented and kept compatible.
 *   <li>Daemon threads in sdk-core and sdk-grpc come from one factory.
 *   <li>No cycle between modules. (A module's public package and its own {@code .internal} may
 *       refer to each other: the internal classes implement the public ones.)
 * </ul>
 */
class PaveArchitectureTest {

  private static final List<String> MODULES = List.of("config", "logging", "core", "grpc", "testing");

  private static final JavaClasses PAVE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.pave");

  @Test
  void everyModuleIsImported() {
    // A rule over an empty import passes vacuously: make sure each module's classes are there.
    for (String module : MODULES) {
      assertThat(PAVE.stream().anyMatch(c -> c.getPackageName().startsWith("dev.pave." + module)))
          .as("classes of dev.pave.%s imported", module).isTrue();
    }
  }

  @Test
  void modulesAreLayers_eachUsingOnlyTheOnesBelow() {
    ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("config").definedBy("dev.pave.config..")
        .layer("logging").definedBy("dev.pave.logging..")
        .layer("core").definedBy("dev.pave.core..")
        .layer("grpc").definedBy("dev.pave.grpc..")
        .layer("testing").definedBy("dev.pave.testing..")
        .whereLayer("testing").mayNotBeAccessedByAnyLayer()
        .whereLayer("grpc").mayOnlyBeAccessedByLayers("testing")
        .whereLayer("core").mayOnlyBeAccessedByLayers("grpc", "testing")
        .whereLayer("logging").mayOnlyBeAccessedByLayers("core", "grpc", "testing");
    layers.check(PAVE);
  }

  @Test
  void noModuleUsesAnotherModulesInternals() {
    for (String module : MODULES) {
      noClasses().that().resideOutsideOfPackage("dev.pave." + module + "..")
          .should().dependOnClassesThat().resideInAPackage("dev.pave." + module + ".internal..")
          .because("dev.pave." + module + ".internal is sdk-" + module + "'s implementation, not API")
          .check(PAVE);
    }
  }

  /**
   * One daemon thread factory (design review 4.1): Micrometer's {@code NamedThreadFactory}, on the
   * class path of sdk-core and sdk-grpc. sdk-config and sdk-logging make one thread each, by hand,
   * rather than depend on Micrometer for it.
   */
  @Test
  void coreAndGrpcMakeDaemonThreadsOnlyThroughTheOneFactory() {
    noClasses().that().resideInAnyPackage("dev.pave.core..", "dev.pave.grpc..")
        .should().callMethod(Thread.class, "setDaemon", boolean.class)
        .because("Pave's background threads come from io.micrometer.core.instrument.util.NamedThreadFactory")
        .check(PAVE);
  }

  @Test
  void modulesHaveNoCycles() {
    slices().matching("dev.pave.(*)..").should().beFreeOfCycles().check(PAVE);
  }
}
