package ${package};

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.pave.testing.conformance.PlatformRules;

/** Pave's platform rules (docs/testing.md): the build fails on a rule broken, naming the fix. */
@AnalyzeClasses(packages = "${package}", importOptions = ImportOption.DoNotIncludeTests.class)
class PlatformConformanceTest {

  @ArchTest
  static final ArchTests pave = ArchTests.in(PlatformRules.class);
}
