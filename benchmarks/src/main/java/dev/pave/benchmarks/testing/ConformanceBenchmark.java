package dev.pave.benchmarks.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.pave.testing.conformance.PaveRule;
import dev.pave.testing.conformance.PlatformRules;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a build pipeline pays for the conformance test on a service of about 2,000 classes: the
 * ArchUnit import plus all ten {@link PlatformRules}, each measured cold (a fresh JVM per fork,
 * as in CI) and warm. The "service" is a fixed set of JDK packages, so the class count is the same
 * on every machine; the benchmark prints it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ConformanceBenchmark -f 3 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(3)
@Warmup(iterations = 0)
@Measurement(iterations = 5)
public class ConformanceBenchmark {

  /** About 2,000 classes of ordinary application-shaped code. */
  static final String[] PACKAGES = {
    "java.util", "java.time", "java.text", "java.net", "java.nio", "java.math", "java.sql",
    "java.beans"
  };

  private JavaClasses imported;

  @Setup(Level.Trial)
  public void importOnce() {
    imported = importService();
    System.out.println("imported classes: " + imported.size());
  }

  /** Import and every rule, as one conformance test run does. */
  @Benchmark
  public int importAndCheckAllRules() {
    return checkAll(importService());
  }

  /**
   * The peer: the same import and one stock ArchUnit rule (GeneralCodingRules' standard-streams
   * rule), i.e. the floor any ArchUnit-based conformance test pays.
   */
  @Benchmark
  public boolean importAndCheckOneStockRule() {
    return GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS
        .evaluate(importService()).hasViolation();
  }

  /** Every rule on classes already imported (the part that grows with the rule set). */
  @Benchmark
  public int checkAllRulesOnly() {
    return checkAll(imported);
  }

  static JavaClasses importService() {
    return new ClassFileImporter().importPackages(PACKAGES);
  }

  static int checkAll(JavaClasses classes) {
    int violations = 0;
    for (PaveRule rule : PlatformRules.all()) {
      violations += rule.evaluate(classes).getFailureReport().getDetails().size();
    }
    return violations;
  }
}
