package dev.pave.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.config.Config;
import dev.pave.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingSettingsTest {

  @Test
  void from_readsEveryKey_includingLevelsFromEnvironmentVariables() {
    Config config = Config.builder()
        // An env var overrides a level another source names; LOGGING_LEVEL_ROOT is the entry "root".
        .defaultValue("logging.level.com.example.payments", "INFO")
        .environment(Map.of("LOGGING_LEVEL_COM_EXAMPLE_PAYMENTS", "DEBUG", "LOGGING_LEVEL_ROOT", "warn",
            "SERVICE_NAME", "payments"))
        .override("logging.format", "text")
        .override("logging.redact.enabled", "false")
        .override("logging.redact.patterns", "iban=(\\w+)")
        .override("logging.async.queue-size", "1024")
        .override("logging.exception.max-length", "4096")
        .override("logging.shutdown.timeout", "2s")
        .override("service.version", "1.2.3")
        .override("deployment.environment", "prod")
        .build();

    LoggingSettings settings = LoggingSettings.from(config);

    assertThat(settings.format()).isEqualTo(LoggingSettings.Format.TEXT);
    assertThat(settings.levels()).isEqualTo(Map.of("com.example.payments", "DEBUG", "root", "WARN"));
    assertThat(settings.redactionEnabled()).isFalse();
    assertThat(settings.redactionPatterns()).containsExactly("iban=(\\w+)");
    assertThat(settings.queueSize()).isEqualTo(1024);
    assertThat(settings.maxStackTraceLength()).isEqualTo(4096);
    assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.serviceName()).isEqualTo("payments");
    assertThat(settings.serviceVersion()).isEqualTo("1.2.3");
    assertThat(settings.deploymentEnvironment()).isEqualTo("prod");
  }

  @Test
  void from_aLoggerTheEnvironmentCannotName_isRefused_notBoundUnderALowerCasedName() {
    Config config = Config.builder()
        .environment(Map.of("LOGGING_LEVEL_COM_EXAMPLE_INVENTORY_STOCKSTORE", "DEBUG"))
        .build();
    assertThatThrownBy(() -> LoggingSettings.from(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LOGGING_LEVEL_COM_EXAMPLE_INVENTORY_STOCKSTORE")
        .hasMessageContaining("-Dlogging.level.<name>=")
        .hasMessageNotContaining("stockstore");
  }

  @Test
  void from_badValuesFromTheProcess_areLabelledWithTheirSource() {
    Config config = Config.builder()
        .environment(Map.of("LOGGING_FORMAT", "bogus"))
        .systemProperties(Map.of("logging.level.com.example.Foo", "LOUD"))
        .build();
    assertThatThrownBy(() -> LoggingSettings.from(config))
        .hasMessageContaining("logging.format [env LOGGING_FORMAT]")
        .hasMessageContaining("logging.level.com.example.Foo [system property logging.level.com.example.Foo]")
        .hasMessageNotContaining("[not set]");
  }

  @Test
  void from_emptyConfig_givesTheDocumentedDefaults() {
    LoggingSettings settings = LoggingSettings.from(Config.builder().build());
    assertThat(settings.levels()).isEmpty();
    assertThat(settings.redactionEnabled()).isTrue();
    assertThat(settings.queueSize()).isEqualTo(LoggingSettings.DEFAULT_QUEUE_SIZE);
    assertThat(settings.maxStackTraceLength()).isEqualTo(LoggingSettings.DEFAULT_MAX_STACK_TRACE_LENGTH);
    assertThat(settings.shutdownTimeout()).isEqualTo(LoggingSettings.DEFAULT_SHUTDOWN_TIMEOUT);
    assertThat(settings.serviceName()).isEqualTo("unknown_service:java");
    // Tests run without a terminal: JSON.
    assertThat(settings.format()).isEqualTo(LoggingSettings.Format.JSON);
  }

  @Test
  void from_badValues_listsEveryProblemWithItsKey() {
    Config config = Config.builder()
        .override("logging.format", "xml")
        .override("logging.level.com.example", "LOUD")
        .override("logging.redact.patterns", "([unclosed")
        .override("logging.async.queue-size", "0")
        .override("logging.shutdown.timeout", "soon")
        .build();

    assertThatThrownBy(() -> LoggingSettings.from(config))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .extracting(ConfigException.Problem::key)
            .containsExactlyInAnyOrder("logging.format", "logging.level.com.example", "logging.redact.patterns",
                "logging.async.queue-size", "logging.shutdown.timeout"))
        .hasMessageContaining("logging.format [override]: expected one of JSON, TEXT")
        .hasMessageContaining("logging.level.com.example [override]: expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF")
        .hasMessageContaining("invalid regular expression")
        .hasMessageContaining("at least 1");
  }

  @Test
  void builder_rejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> LoggingSettings.builder().queueSize(0)).hasMessage("queueSize must be at least 1, got 0");
    assertThatThrownBy(() -> LoggingSettings.builder().maxStackTraceLength(10)).hasMessageContaining("at least 256");
    assertThatThrownBy(() -> LoggingSettings.builder().serviceName(" ")).hasMessage("serviceName must not be blank");
  }

  @Test
  void toBuilder_keepsEverything() {
    LoggingSettings settings = LoggingSettings.builder().format(LoggingSettings.Format.TEXT).level("a", "debug")
        .serviceName("s").kubernetesPodName("p").redactionPattern("x").queueSize(3).build();
    assertThat(settings.toBuilder().build().toString()).isEqualTo(settings.toString());
    assertThat(settings.levels()).containsEntry("a", "DEBUG");
  }
}
