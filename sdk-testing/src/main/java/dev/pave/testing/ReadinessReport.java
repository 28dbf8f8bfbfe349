package dev.pave.testing;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The answer of {@link ProductionReadiness}: one item per check, PASS or FAIL with the reason.
 * Immutable.
 */
public final class ReadinessReport {

  /**
   * System property that turns {@link #assertReady()} into a report only: {@value}{@code =false}
   * lets a pipeline adopt the check before it enforces it.
   */
  public static final String ENFORCE_PROPERTY = "pave.readiness.enforce";

  private final String service;
  private final String environment;
  private final List<Item> items;

  ReadinessReport(String service, String environment, List<Item> items) {
    this.service = Objects.requireNonNull(service, "service");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.items = List.copyOf(items);
  }

  /** The checked items, in checklist order. */
  public List<Item> items() {
    return items;
  }

  /** Whether every item passed. */
  public boolean ready() {
    return items.stream().allMatch(Item::passed);
  }

  /** Writes the checklist to {@code out} and returns this report. */
  public ReadinessReport print(PrintStream out) {
    out.print(this);
    out.flush();
    return this;
  }

  /**
   * Fails with the whole checklist if an item failed, unless the system property {@value
   * #ENFORCE_PROPERTY} is {@code false} (then it only reports).
   *
   * @throws AssertionError listing every item when one failed and enforcement is on
   */
  public void assertReady() {
    if (!ready() && !"false".equalsIgnoreCase(System.getProperty(ENFORCE_PROPERTY))) {
      throw new AssertionError(toString());
    }
  }

  /** The checklist, one line per item. */
  @Override
  public String toString() {
    return "Production readiness of '" + service + "' for environment '" + environment + "': "
        + (ready() ? "READY" : "NOT READY") + "\n"
        + items.stream().map(item -> "  " + item + "\n").collect(Collectors.joining());
  }

  /**
   * One checked item.
   *
   * @param name what was checked
   * @param passed whether it passed
   * @param reason why, in a sentence that names the key or value involved
   */
  public record Item(String name, boolean passed, String reason) {

    public Item {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(reason, "reason");
    }

    static Item pass(String name, String reason) {
      return new Item(name, true, reason);
    }

    static Item fail(String name, String reason) {
      return new Item(name, false, reason);
    }

    @Override
    public String toString() {
      return (passed ? "PASS  " : "FAIL  ") + name + ": " + reason;
    }
  }
}
