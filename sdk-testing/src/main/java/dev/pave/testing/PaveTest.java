package dev.pave.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a service's unmodified {@code main} inside the test JVM before each test, on random
 * loopback ports, with test configuration and test secrets, and hands the test a {@link
 * PaveTestService}:
 *
 * <pre>{@code
 * @PaveTest(value = PaymentsMain.class, secrets = "payments.api-key=test-key")
 * class PaymentServiceTest {
 *   @Test
 *   void approvesAValidCard(PaveTestService svc) {
 *     var stub = PaymentServiceGrpc.newBlockingStub(svc.grpcChannel());
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh service, stopped after the test (through the same drain and stop path
 * as SIGTERM, without exiting the JVM). The configuration is the service's own classpath
 * {@code application.yaml} (and {@code application-test.yaml} if present) under {@link
 * PaveTestService#TEST_DEFAULTS} and {@link #properties()}; no environment variables, system
 * properties, config directories, secret volume or age file are read, so a test runs the same on
 * every machine.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(PaveTestExtension.class)
public @interface PaveTest {

  /**
   * The class whose {@code public static void main(String[])} starts the service with {@code
   * Pave.service(name).run(...)}.
   */
  Class<?> value();

  /** Arguments passed to {@code main}; none by default. */
  String[] args() default {};

  /** Configuration as {@code key=value}; wins over the service's files and the test defaults. */
  String[] properties() default {};

  /** Secrets as {@code key=value}, served to {@code config.secret(key)} and {@code Secret} record components. */
  String[] secrets() default {};
}
