package dev.pave.samples.payments;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/** Pave's platform rules, wired exactly as docs/testing.md tells a service to. */
@AnalyzeClasses(packages = "dev.pave.samples.payments", importOptions = ImportOption.DoNotIncludeTests.class)
class PlatformConformanceTest {
  @ArchTest static final ArchTests pave = ArchTests.in(dev.pave.testing.conformance.PlatformRules.class);
}
