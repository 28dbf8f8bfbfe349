package dev.pave.testing.conformance;

import static java.util.Objects.requireNonNull;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.Priority;
import java.util.regex.Pattern;

/**
 * A platform rule with a stable id, e.g. {@code PAVE-001}. Its description starts with the id in
 * brackets, so every ArchUnit failure message names the rule, the platform reason and the Pave
 * alternative.
 *
 * <p>A rule can be switched off for one service, with a reason, in the service's
 * {@code src/test/resources/archunit.properties}:
 *
 * <pre>{@code
 * pave.rules.PAVE-006.disabled=Kafka consumer owns its poll thread until PLAT-231 lands
 * }</pre>
 *
 * <p>(or the system property {@code -Darchunit.pave.rules.PAVE-006.disabled=...}). A switched-off
 * rule passes and says so in its description; a switch without a reason is an error, so every
 * exception stays explained in the service's repository.
 *
 * <p>Instances are immutable; {@link #because} and {@link #as} return new rules.
 */
public final class PaveRule implements ArchRule {

  /** Property prefix under which rules are switched off: {@value}{@code <id>.disabled}. */
  public static final String DISABLE_PROPERTY_PREFIX = "pave.rules.";

  private static final Pattern ID = Pattern.compile("PAVE-\\d{3}");

  private final String id;
  private final ArchRule delegate;

  private PaveRule(String id, ArchRule delegate) {
    this.id = id;
    this.delegate = delegate;
  }

  /**
   * Creates a rule from an ArchUnit rule, labelling its description with the id.
   *
   * @param id a stable id of the form {@code PAVE-nnn}
   * @param summary what the rule demands, in a few words
   * @param reason the platform reason and the Pave alternative
   * @param rule the ArchUnit rule
   */
  static PaveRule of(String id, String summary, String reason, ArchRule rule) {
    requireNonNull(id, "id");
    requireNonNull(summary, "summary");
    requireNonNull(reason, "reason");
    requireNonNull(rule, "rule");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("rule id must look like PAVE-001 but was '" + id + "'");
    }
    return new PaveRule(id, rule.as("[" + id + "] " + summary).because(reason));
  }

  /** The stable id of this rule, e.g. {@code PAVE-001}. */
  public String id() {
    return id;
  }

  /** The property that switches this rule off: {@code pave.rules.<id>.disabled}. */
  public String disableProperty() {
    return DISABLE_PROPERTY_PREFIX + id + ".disabled";
  }

  @Override
  public void check(JavaClasses classes) {
    Assertions.assertNoViolation(evaluate(classes));
  }

  @Override
  public EvaluationResult evaluate(JavaClasses classes) {
    if (disabledReason() != null) {
      return new EvaluationResult(this, Priority.MEDIUM);
    }
    return delegate.evaluate(classes);
  }

  @Override
  public PaveRule because(String reason) {
    return new PaveRule(id, delegate.because(reason));
  }

  @Override
  public PaveRule allowEmptyShould(boolean allowEmptyShould) {
    return new PaveRule(id, delegate.allowEmptyShould(allowEmptyShould));
  }

  @Override
  public PaveRule as(String newDescription) {
    return new PaveRule(id, delegate.as(newDescription));
  }

  @Override
  public String getDescription() {
    String reason = disabledReason();
    return reason == null
        ? delegate.getDescription()
        : delegate.getDescription() + " [switched off: " + reason + "]";
  }

  @Override
  public String toString() {
    return getDescription();
  }

  /** The reason this rule is switched off, or {@code null} when it is on. */
  private String disabledReason() {
    String key = disableProperty();
    ArchConfiguration configuration = ArchConfiguration.get();
    if (!configuration.containsProperty(key)) {
      return null;
    }
    String reason = configuration.getProperty(key);
    if (reason == null || reason.isBlank() || reason.equalsIgnoreCase("true")) {
      throw new IllegalStateException(
          "archunit.properties key '" + key + "' switches off " + id
              + " but gives no reason: set it to the reason (e.g. a ticket), not '"
              + (reason == null ? "" : reason.strip()) + "'");
    }
    return reason.strip();
  }
}
