package dev.pave.testing.conformance;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;

/**
 * {@link PlatformRules} for gradual adoption: every code rule wrapped in ArchUnit's
 * {@link FreezingArchRule}, so violations that exist today are recorded in a violation store
 * committed to the service's repository and listed, while any new violation fails the build.
 * Violations that are fixed disappear from the store on the next run.
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.example.payments", importOptions = ImportOption.DoNotIncludeTests.class)
 * class PlatformConformanceTest {
 *   @ArchTest static final ArchTests pave = ArchTests.in(FrozenPlatformRules.class);
 * }
 * }</pre>
 *
 * <p>With {@code src/test/resources/archunit.properties}:
 *
 * <pre>
 * freeze.store.default.path=src/test/resources/archunit_store
 * # only on the first run, to record today's violations; then remove it and commit the store
 * freeze.store.default.allowStoreCreation=true
 * </pre>
 */
public final class FrozenPlatformRules {

  private FrozenPlatformRules() {}

  @ArchTest static final ArchRule NO_STANDARD_STREAMS = freeze(PlatformRules.NO_STANDARD_STREAMS);
  @ArchTest static final ArchRule SLF4J_ONLY = freeze(PlatformRules.SLF4J_ONLY);
  @ArchTest static final ArchRule NO_RAW_CONFIGURATION = freeze(PlatformRules.NO_RAW_CONFIGURATION);
  @ArchTest static final ArchRule NO_SHUTDOWN_HOOKS = freeze(PlatformRules.NO_SHUTDOWN_HOOKS);
  @ArchTest static final ArchRule NO_RAW_GRPC_BUILDERS = freeze(PlatformRules.NO_RAW_GRPC_BUILDERS);
  @ArchTest static final ArchRule NO_RAW_THREADS = freeze(PlatformRules.NO_RAW_THREADS);
  @ArchTest static final ArchRule SECRETS_ARE_TYPED = freeze(PlatformRules.SECRETS_ARE_TYPED);
  @ArchTest static final ArchRule NO_OPENTELEMETRY_SETUP = freeze(PlatformRules.NO_OPENTELEMETRY_SETUP);
  @ArchTest static final ArchRule NO_SLEEP = freeze(PlatformRules.NO_SLEEP);
  @ArchTest static final ArchRule GRPC_SERVICES_DO_NOT_CATCH_ALL =
      freeze(PlatformRules.GRPC_SERVICES_DO_NOT_CATCH_ALL);
  /** Not frozen: a mixed class path is fixed by one BOM import, never grandfathered. */
  @ArchTest static final ArchRule ONE_VERSION_PER_FAMILY = PlatformRules.ONE_VERSION_PER_FAMILY;

  private static ArchRule freeze(PaveRule rule) {
    return FreezingArchRule.freeze(rule);
  }
}
