package dev.pave.config;

import java.util.Objects;

/**
 * One effective configuration value with its provenance, as listed by {@link Config#entries()}.
 *
 * @param key the configuration key, e.g. {@code payments.db.url}
 * @param value the effective value after placeholder resolution, or {@value Secret#MASK} when
 *     {@code secret} is true
 * @param source where the value came from, e.g. {@code env PAYMENTS_DB_URL},
 *     {@code file /etc/pave/config/payments.db.url}, {@code classpath:application.yaml}
 * @param secret whether the value is masked
 */
public record ConfigEntry(String key, String value, String source, boolean secret) {

  /** Validates that every field is present and that a secret entry is masked. */
  public ConfigEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
    if (secret && !Secret.MASK.equals(value)) {
      throw new IllegalArgumentException("a secret entry must carry the mask, not a value: " + key);
    }
  }
}
