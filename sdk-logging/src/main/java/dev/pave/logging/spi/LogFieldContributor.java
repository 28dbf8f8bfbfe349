package dev.pave.logging.spi;

import dev.pave.config.Experimental;
import dev.pave.logging.LoggingSettings;
import java.util.Map;

/**
 * Adds constant fields to every log line of every service whose class path has the
 * implementation, listed in {@code META-INF/services/dev.pave.logging.spi.LogFieldContributor}:
 * the way a platform team puts {@code cloud.region} or {@code team} on all its services' lines
 * with one library, and no change to any service (design review A7).
 *
 * <p>The fields are read each time logging is configured, come after Pave's resource fields
 * ({@code service.name} ... {@code k8s.namespace.name}) in both formats, and are redacted like any
 * value. A name that is one of Pave's standard fields, blank, or already added by another
 * contributor is left out, and one line on stderr says which and why; a contributor that throws
 * adds nothing and is named the same way. Logging never fails because of a contributor.
 */
@Experimental("the log schema SPI is new; per-event fields may be added")
public interface LogFieldContributor {

  /**
   * The fields to add to every line, in output order.
   *
   * @param settings the logging settings in effect (service name, environment, pod)
   * @return names to values; neither may be null
   */
  Map<String, String> fields(LoggingSettings settings);
}
