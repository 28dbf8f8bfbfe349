package dev.pave.testing.conformance;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/** The whole rule set, wired exactly as a service's build pipeline wires it. */
@AnalyzeClasses(packages = "dev.pave.testing.conformance.fixtures.compliant")
class CompliantServiceConformanceTest {
  @ArchTest static final ArchTests pave = ArchTests.in(PlatformRules.class);
}
