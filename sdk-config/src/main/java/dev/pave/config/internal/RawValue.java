package dev.pave.config.internal;

import java.util.Objects;

/**
 * A configuration value as text with the source it came from.
 *
 * @param value the text
 * @param source e.g. {@code env PAYMENTS_DB_URL}, {@code classpath:application.yaml}
 */
public record RawValue(String value, String source) {

  /** Validates both fields. */
  public RawValue {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }

  /** Whether the value came from the process environment or a system property. */
  public boolean fromProcess() {
    return source.startsWith(Keys.ENV_SOURCE_PREFIX) || source.startsWith(Keys.SYSPROP_SOURCE_PREFIX);
  }
}
