package dev.pave.logging;

import dev.pave.logging.spi.LogFieldContributor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A platform team's field contributor, as a library on the class path would bring it. Active only
 * in a child JVM started with {@code -Dpave.test.log-fields=true}, so other tests see Pave's schema
 * alone.
 */
public final class TestFieldContributor implements LogFieldContributor {

  @Override
  public Map<String, String> fields(LoggingSettings settings) {
    if (!Boolean.getBoolean("pave.test.log-fields")) {
      return Map.of();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("cloud.region", "eu-west-1");
    fields.put("platform.owner", "team-" + settings.serviceName());
    fields.put("message", "a contributor may not replace Pave's own fields");
    fields.put("platform.note", "token=plaintext-contributed-token");
    return fields;
  }
}
