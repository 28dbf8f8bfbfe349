package dev.pave.logging.internal;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's {@link Configurator} SPI entry: configures Pave's JSON/text output when the service
 * has no Logback configuration of its own.
 *
 * <p>If {@code logback.configurationFile}, {@code logback-test.xml} or {@code logback.xml} is
 * present, Pave steps aside and Logback reads that file (which may include
 * {@code dev/pave/logging/base.xml}).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class PaveConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext loggerContext) {
    if (hasOwnConfiguration()) {
      addInfo("A Logback configuration file is present; Pave's zero-config logging steps aside");
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LoggingRuntime.installZeroConfig(loggerContext);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static boolean hasOwnConfiguration() {
    if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
      return true;
    }
    ClassLoader loader = PaveConfigurator.class.getClassLoader();
    return loader.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE) != null
        || loader.getResource(ClassicConstants.AUTOCONFIG_FILE) != null;
  }
}
