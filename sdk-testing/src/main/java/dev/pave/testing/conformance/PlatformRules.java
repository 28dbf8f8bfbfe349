package dev.pave.testing.conformance;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.TryCatchBlock;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.pave.testing.internal.ClassPathArtifacts;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The platform rules a build pipeline runs against a service. Use all of them with one test
 * class:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.example.payments", importOptions = ImportOption.DoNotIncludeTests.class)
 * class PlatformConformanceTest {
 *   @ArchTest static final ArchTests pave = ArchTests.in(PlatformRules.class);
 * }
 * }</pre>
 *
 * <p>Each field is one rule with a stable id ({@code PAVE-001} ...), a reason and the Pave
 * alternative, so that a failure teaches the fix. Ids are never reused. To adopt the rules in a
 * service that already has violations, use {@link FrozenPlatformRules}; to switch one rule off
 * with a reason, see {@link PaveRule}. Rules match classes by name, so a service needs none of
 * the forbidden libraries on its classpath.
 */
public final class PlatformRules {

  private PlatformRules() {}

  /** PAVE-001: no {@code System.out}, {@code System.err} or {@code printStackTrace()}. */
  @ArchTest
  public static final PaveRule NO_STANDARD_STREAMS = PaveRule.of("PAVE-001",
      "no System.out, System.err or printStackTrace()",
      "lines written around the logger are not JSON, carry no trace_id and are not"
          + " redacted; log through SLF4J (LoggerFactory.getLogger) and sdk-logging renders"
          + " them",
      noClasses()
          .should().accessField(System.class, "out")
          .orShould().accessField(System.class, "err")
          .orShould().callMethod(Throwable.class, "printStackTrace"));

  /** PAVE-002: service code logs through the SLF4J API only. */
  @ArchTest
  public static final PaveRule SLF4J_ONLY = PaveRule.of("PAVE-002",
      "log through the SLF4J API only (no java.util.logging, Log4j, commons-logging, Logback)",
      "sdk-logging owns the backend (JSON, trace ids, redaction, lossless"
          + " shutdown) and bridges the other APIs for libraries; service code uses"
          + " org.slf4j.Logger, and levels are set with logging.level.<logger>",
      noClasses()
          .should().dependOnClassesThat().resideInAnyPackage(
              "java.util.logging..", "org.apache.log4j..", "org.apache.logging.log4j..",
              "org.apache.commons.logging..", "ch.qos.logback.."));

  /** PAVE-003: no reading of environment variables or system properties. */
  @ArchTest
  public static final PaveRule NO_RAW_CONFIGURATION = PaveRule.of("PAVE-003",
      "no System.getenv or System.getProperty",
      "configuration read by hand has no defaults, types, provenance or fail-fast validation;"
          + " bind it with sdk-config (svc.config().bind(\"prefix\", MyConfig.class)), which"
          + " also reads env and system properties",
      noClasses()
          .should().callMethodWhere(callTo(System.class.getName(),
              Set.of("getenv", "getProperty", "getProperties"))));

  /** PAVE-004: no JVM shutdown hooks. */
  @ArchTest
  public static final PaveRule NO_SHUTDOWN_HOOKS = PaveRule.of("PAVE-004",
      "no Runtime.addShutdownHook",
      "shutdown hooks run in no order and race the drain; register a lifecycle component"
          + " (svc.register(component)), which Pave stops in reverse order after draining,"
          + " within the termination grace period",
      noClasses()
          .should().callMethod(Runtime.class, "addShutdownHook", Thread.class));

  /** PAVE-005: no raw gRPC server or channel builders. */
  @ArchTest
  public static final PaveRule NO_RAW_GRPC_BUILDERS = PaveRule.of("PAVE-005",
      "no ManagedChannelBuilder, ServerBuilder, NettyServerBuilder or NettyChannelBuilder",
      "a hand-built server or channel has no tracing, metrics, access log, deadlines,"
          + " retries, circuit breaker, health or drain; use Pave's gRPC server and"
          + " channels (sdk-grpc), configured under grpc.server.* and grpc.clients.<name>.*",
      noClasses()
          .should().dependOnClassesThat().haveFullyQualifiedName("io.grpc.ManagedChannelBuilder")
          .orShould().dependOnClassesThat().haveFullyQualifiedName("io.grpc.ServerBuilder")
          .orShould().dependOnClassesThat().haveSimpleName("NettyServerBuilder")
          .orShould().dependOnClassesThat().haveSimpleName("NettyChannelBuilder")
          .orShould().callMethodWhere(callTo("io.grpc.Grpc",
              Set.of("newServerBuilderForPort", "newChannelBuilder", "newChannelBuilderForAddress"))));

  /** PAVE-006: no raw threads or executors. */
  @ArchTest
  public static final PaveRule NO_RAW_THREADS = PaveRule.of("PAVE-006",
      "no new Thread(...) or Executors.new*",
      "work handed to a raw thread loses the trace context and MDC, and is not"
          + " stopped by the lifecycle; use Pave's context-propagating executors"
          + " (svc.executor(name, threads))",
      noClasses()
          .should().callConstructorWhere(constructorOf(Thread.class.getName()))
          .orShould().callMethodWhere(callToMethodStartingWith(
              "java.util.concurrent.Executors", "new")));

  /** PAVE-007: secret-like fields and record components are of type {@code Secret}. */
  @ArchTest
  public static final PaveRule SECRETS_ARE_TYPED = PaveRule.of("PAVE-007",
      "fields and record components named like secrets are of type dev.pave.config.Secret",
      "a String or char[] secret ends up in toString(), logs and heap dumps; bind"
          + " it as dev.pave.config.Secret, which prints ****** everywhere and is read"
          + " from the secret volume or the age file",
      fields()
          .that(namedLikeASecret())
          .should(notHoldPlainText())
          .allowEmptyShould(true));

  /** PAVE-008: Pave owns the OpenTelemetry setup. */
  @ArchTest
  public static final PaveRule NO_OPENTELEMETRY_SETUP = PaveRule.of("PAVE-008",
      "no GlobalOpenTelemetry.set or OpenTelemetrySdk.builder()",
      "a second SDK breaks the resource attributes, the propagators and the flush"
          + " on shutdown; Pave sets OpenTelemetry up from OTEL_* variables, use"
          + " svc.openTelemetry()",
      noClasses()
          .should().callMethodWhere(callTo("io.opentelemetry.api.GlobalOpenTelemetry",
              Set.of("set")))
          .orShould().callMethodWhere(callTo("io.opentelemetry.sdk.OpenTelemetrySdk",
              Set.of("builder"))));

  /** PAVE-009: no {@code Thread.sleep} in production code. */
  @ArchTest
  public static final PaveRule NO_SLEEP = PaveRule.of("PAVE-009",
      "no Thread.sleep or TimeUnit.sleep in production code",
      "a sleeping thread holds a request and ignores the drain; use deadlines, a delay on a"
          + " Pave executor (CompletableFuture.delayedExecutor(delay, unit, svc.executor(name, n))),"
          + " or Resilience4j retry backoff",
      noClasses()
          .should().callMethodWhere(callTo(Thread.class.getName(), Set.of("sleep")))
          .orShould().callMethodWhere(callTo("java.util.concurrent.TimeUnit", Set.of("sleep"))));

  /** PAVE-010: gRPC services do not catch the broad exception types. */
  @ArchTest
  public static final PaveRule GRPC_SERVICES_DO_NOT_CATCH_ALL = PaveRule.of("PAVE-010",
      "gRPC service implementations do not catch Throwable, Exception, RuntimeException or Error",
      "a broad catch swallows failures or leaks their text to callers; let them"
          + " propagate and Pave's error interceptor answers INTERNAL with a generic"
          + " description and logs the exception once with its trace_id (catch the"
          + " specific exceptions you handle)",
      classes()
          .that().implement("io.grpc.BindableService")
          .should(notCatchBroadly())
          .allowEmptyShould(true));

  /**
   * PAVE-011: the test class path (the service's runtime class path plus its test dependencies)
   * has one version per family Pave is built on, and one logging backend. It checks the JVM's
   * class path, not the imported classes, so it runs once however many classes are imported.
   */
  @ArchTest
  public static final PaveRule ONE_VERSION_PER_FAMILY = PaveRule.of("PAVE-011",
      "the class path has one version of each of OpenTelemetry, gRPC, Netty, Jackson, protobuf and"
          + " Micrometer, and one logging backend",
      "two versions of one family fail at startup (NoClassDefFoundError, NoSuchMethodError) or"
          + " worse, at the first call that needs the missing method; a second logging backend or"
          + " SLF4J binding takes log lines away from sdk-logging; import dev.pave:sdk-bom (or"
          + " inherit dev.pave:sdk-parent), which manages every family at the versions Pave is"
          + " tested with",
      classes().should(haveAConsistentClassPath(ClassPathArtifacts::jvmClassPath)).allowEmptyShould(true));

  /** Every rule above, in id order. */
  public static List<PaveRule> all() {
    return List.of(NO_STANDARD_STREAMS, SLF4J_ONLY, NO_RAW_CONFIGURATION, NO_SHUTDOWN_HOOKS,
        NO_RAW_GRPC_BUILDERS, NO_RAW_THREADS, SECRETS_ARE_TYPED, NO_OPENTELEMETRY_SETUP, NO_SLEEP,
        GRPC_SERVICES_DO_NOT_CATCH_ALL, ONE_VERSION_PER_FAMILY);
  }

  /**
   * PAVE-011's condition: nothing to check per class; once all are seen, one violation per
   * problem of the class path {@code classPath} supplies.
   */
  static ArchCondition<JavaClass> haveAConsistentClassPath(Supplier<List<Path>> classPath) {
    return new ArchCondition<>("have a class path with one version per family and one logging backend") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {}

      @Override
      public void finish(ConditionEvents events) {
        for (String problem : ClassPathArtifacts.problems(ClassPathArtifacts.scan(classPath.get()))) {
          events.add(SimpleConditionEvent.violated(classPath, problem));
        }
      }
    };
  }

  // ---- predicates and conditions shared by the rules ----

  private static final String SECRET_TYPE = "dev.pave.config.Secret";

  /** Names that hold credentials: apiKey, dbPassword, accessToken, clientSecret, credentials. */
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(password|passwd|passphrase|secret|token|api_?key|credentials?|private_?key)");

  private static final Set<String> PLAIN_TEXT_TYPES =
      Set.of("java.lang.String", "java.lang.CharSequence");

  private static final Set<String> BROAD_THROWABLES = Set.of("java.lang.Throwable",
      "java.lang.Exception", "java.lang.RuntimeException", "java.lang.Error");

  private static DescribedPredicate<JavaAccess<?>> callTo(String owner, Set<String> names) {
    return DescribedPredicate.describe(owner + "." + names,
        access -> access.getTargetOwner().getName().equals(owner)
            && names.contains(access.getTarget().getName()));
  }

  private static DescribedPredicate<JavaAccess<?>> callToMethodStartingWith(
      String owner, String prefix) {
    return DescribedPredicate.describe(owner + "." + prefix + "*",
        access -> access.getTargetOwner().getName().equals(owner)
            && access.getTarget().getName().startsWith(prefix));
  }

  private static DescribedPredicate<JavaAccess<?>> constructorOf(String owner) {
    return DescribedPredicate.describe("new " + owner + "(...)",
        access -> access.getTargetOwner().getName().equals(owner));
  }

  private static DescribedPredicate<JavaField> namedLikeASecret() {
    return DescribedPredicate.describe("are named like secrets",
        field -> !field.getOwner().isEnum()
            && !field.getName().startsWith("$")
            && SECRET_NAME.matcher(field.getName()).matches());
  }

  private static ArchCondition<JavaField> notHoldPlainText() {
    return new ArchCondition<>("be of type " + SECRET_TYPE) {
      @Override
      public void check(JavaField field, ConditionEvents events) {
        if (holdsPlainText(field.getType())) {
          events.add(SimpleConditionEvent.violated(field, "Field <" + field.getFullName()
          + "> holds a secret as " + field.getType().getName() + " instead of "
              + SECRET_TYPE + " in " + field.getOwner().getSourceCodeLocation()));
        }
      }
    };
  }

  /** String, char[], byte[], and the same inside Optional, List or a map's values. */
  private static boolean holdsPlainText(JavaType type) {
    JavaClass erasure = type.toErasure();
    if (erasure.isArray()) {
      String component = erasure.getComponentType().getName();
      return component.equals("char") || component.equals("byte");
    }
    if (PLAIN_TEXT_TYPES.contains(erasure.getName())) {
      return true;
    }
    if (type instanceof JavaParameterizedType) {
      List<JavaType> arguments = ((JavaParameterizedType) type).getActualTypeArguments();
      return !arguments.isEmpty() && holdsPlainText(arguments.get(arguments.size() - 1));
    }
    return false;
  }

  private static ArchCondition<JavaClass> notCatchBroadly() {
    return new ArchCondition<>("not catch Throwable, Exception, RuntimeException or Error") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        for (JavaCodeUnit codeUnit : javaClass.getCodeUnits()) {
          for (TryCatchBlock block : codeUnit.getTryCatchBlocks()) {
            for (JavaClass caught : block.getCaughtThrowables()) {
              if (BROAD_THROWABLES.contains(caught.getName())) {
                events.add(SimpleConditionEvent.violated(javaClass, "Method <"
                    + codeUnit.getFullName() + "> catches " + caught.getName() + " in "
                    + block.getSourceCodeLocation()));
              }
            }
          }
        }
      }
    };
  }
}
