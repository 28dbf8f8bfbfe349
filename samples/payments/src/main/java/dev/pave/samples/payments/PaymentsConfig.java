package dev.pave.samples.payments;

import dev.pave.config.DefaultValue;
import dev.pave.config.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code payments.*} keys, bound once at startup; a missing or malformed key fails startup
 * with every problem listed.
 *
 * @param apiKey {@code payments.api-key}: the acquirer API key; a secret, required
 * @param acquirerLatency {@code payments.acquirer-latency}: how long the simulated acquirer takes
 *     to answer, default 20ms (a real card network answers in tens of milliseconds)
 * @param approvalLimit {@code payments.approval-limit}: larger amounts (minor units) are declined
 *     {@code over_limit}, default 1000000
 * @param currencies {@code payments.currencies}: accepted ISO 4217 codes, default JPY, USD, EUR
 * @param acquirerOutageFile {@code payments.acquirer-outage-file}: optional; while this file
 *     exists the simulated acquirer is unreachable and the service reports not ready
 */
record PaymentsConfig(
    Secret apiKey,
    @DefaultValue("20ms") Duration acquirerLatency,
    @DefaultValue("1000000") long approvalLimit,
    @DefaultValue("JPY,USD,EUR") List<String> currencies,
    Optional<Path> acquirerOutageFile) {

  PaymentsConfig {
    Objects.requireNonNull(apiKey, "apiKey");
    if (acquirerLatency.isNegative()) {
      throw new IllegalArgumentException(
          "acquirer-latency must not be negative, was " + acquirerLatency);
    }
    if (approvalLimit <= 0) {
      throw new IllegalArgumentException("approval-limit must be positive, was " + approvalLimit);
    }
    if (currencies.isEmpty()) {
      throw new IllegalArgumentException("currencies must list at least one ISO 4217 code");
    }
    currencies = List.copyOf(currencies);
  }
}
