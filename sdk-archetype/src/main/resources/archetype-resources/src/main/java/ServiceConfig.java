package ${package};

import dev.pave.config.DefaultValue;
import dev.pave.config.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code ${serviceName}.*} keys, bound once at startup: a malformed value fails startup naming
 * the key. Each key can also be set as an environment variable ({@code ${serviceName}.greeting}:
 * the upper-case form with {@code _} for {@code .} and {@code -}) or a system property.
 *
 * @param greeting {@code ${serviceName}.greeting}: the first word of every reply, default Hello
 * @param apiKey {@code ${serviceName}.api-key}: a secret, read only from the secret volume (a file
 *     named {@code ${serviceName}.api-key}) or the age-encrypted local file; never printed
 */
record ServiceConfig(@DefaultValue("Hello") String greeting, Optional<Secret> apiKey) {

  ServiceConfig {
    Objects.requireNonNull(greeting, "greeting");
    if (greeting.isBlank()) {
      throw new IllegalArgumentException("greeting must not be blank");
    }
  }
}
