package dev.pave.testing;

import dev.pave.config.Config;
import dev.pave.config.ConfigBuilder;
import dev.pave.core.RunningService;
import dev.pave.logging.LogCapture;
import dev.pave.logging.PaveLogging;
import dev.pave.testing.internal.Launch;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link PaveTest}: before each test it runs the service's {@code
 * main} in-process with test configuration, and after the test stops it through the production
 * drain and stop path. Use it through {@code @PaveTest}.
 */
public final class PaveTestExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PaveTestExtension.class);

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    PaveTest test = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), PaveTest.class)
        .orElseThrow(() -> new ExtensionConfigurationException(
            context.getRequiredTestClass().getName() + " uses PaveTestExtension without @PaveTest"));
    Method main = mainOf(test.value());
    Config config = testConfig(test);
    LogCapture logs = PaveLogging.capture();
    Launch launch = new Launch(config);
    try {
      launch.run(() -> invoke(main, test.args()));
    } catch (Throwable e) {
      logs.close();
      config.close();
      if (e instanceof Exception exception) {
        throw exception;
      }
      throw (Error) e;
    }
    RunningService running = launch.running();
    if (running == null) {
      logs.close();
      config.close();
      throw new ExtensionConfigurationException("main of " + test.value().getName()
          + " returned without calling Pave.service(name).run(...)");
    }
    context.getStore(NAMESPACE).put(PaveTestService.class,
        new Started(new PaveTestService(running, launch.spans(), logs), config));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Started started = context.getStore(NAMESPACE).remove(PaveTestService.class, Started.class);
    if (started != null) {
      try {
        started.service.close();
      } finally {
        started.config.close();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PaveTestService.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Started started = context.getStore(NAMESPACE).get(PaveTestService.class, Started.class);
    if (started == null) {
      throw new ExtensionConfigurationException("no @PaveTest service is running for "
          + context.getDisplayName() + " (PaveTestService is available to test methods only)");
    }
    return started.service;
  }

  /** The test configuration: service files, the kit's defaults, the test's properties and secrets. */
  static Config testConfig(PaveTest test) {
    Map<String, String> overrides = new LinkedHashMap<>(PaveTestService.TEST_DEFAULTS);
    overrides.putAll(pairs(test.properties(), "properties"));
    ConfigBuilder builder = Config.builder()
        .environmentName("test")
        // Nothing of the developer's machine: no env, no system properties (the builder's
        // default), no /etc/pave/config, /var/run/secrets/pave or ./secrets.local.age.
        .noMachineFiles();
    overrides.forEach(builder::override);
    pairs(test.secrets(), "secrets").forEach(builder::secret);
    return builder.build();
  }

  private static Map<String, String> pairs(String[] entries, String attribute) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String entry : entries) {
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        // Never echo the entry: in secrets() it holds a secret value.
        throw new ExtensionConfigurationException("@PaveTest(" + attribute + ") entries must be"
            + " key=value; entry " + (pairs.size() + 1) + " has no key");
      }
      pairs.put(entry.substring(0, equals).strip(), entry.substring(equals + 1));
    }
    return pairs;
  }

  private static Method mainOf(Class<?> type) {
    try {
      Method main = type.getMethod("main", String[].class);
      if (!Modifier.isStatic(main.getModifiers())) {
        throw new NoSuchMethodException("main is not static");
      }
      return main;
    } catch (NoSuchMethodException e) {
      throw new ExtensionConfigurationException("@PaveTest(" + type.getName() + ".class) needs"
          + " public static void main(String[]) that calls Pave.service(name).run(...)", e);
    }
  }

  private static void invoke(Method main, String[] args) throws Throwable {
    try {
      main.invoke(null, (Object) args.clone());
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private record Started(PaveTestService service, Config config) {}
}
