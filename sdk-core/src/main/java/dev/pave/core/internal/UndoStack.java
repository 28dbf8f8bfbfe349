package dev.pave.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;

/**
 * What startup did, to be undone in reverse. Each startup step pushes its undo once it has
 * succeeded; shutdown and a failed startup both unwind this one stack, so the shutdown order is
 * derived from the startup order and a failed start undoes exactly what was done (design review
 * A1, as Dropwizard's and Armeria's startup listeners; before, a failed start had its own
 * hand-ordered teardown list, which already differed from the shutdown's). Thread-safe.
 */
final class UndoStack {

  /** One undo; may throw, and the unwind goes on. */
  @FunctionalInterface
  interface Undo {
    void run() throws Exception;
  }

  private record Entry(String name, Undo undo) {}

  private final Deque<Entry> entries = new ArrayDeque<>();

  /** Adds the undo of a step that succeeded; it runs before every undo pushed earlier. */
  synchronized void push(String name, Undo undo) {
    entries.push(new Entry(name, undo));
  }

  /** The names of the undos not run yet, in the order {@link #unwind} would run them. */
  synchronized List<String> names() {
    return entries.stream().map(Entry::name).toList();
  }

  /**
   * Runs every undo once, the last pushed first. One that throws is logged at ERROR and the rest
   * still run; an interrupt is kept for the caller, and the rest still run. Each step is logged at
   * DEBUG before it runs ({@code shutdown step: <name>}).
   *
   * @return the names run, in order
   */
  List<String> unwind(Logger log) {
    List<String> ran = new ArrayList<>();
    boolean interrupted = false;
    for (;;) {
      Entry entry;
      synchronized (this) {
        entry = entries.poll();
      }
      if (entry == null) {
        break;
      }
      ran.add(entry.name());
      log.debug("shutdown step: {}", entry.name());
      try {
        entry.undo().run();
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (Exception | LinkageError e) {
        log.error("shutdown step '{}' failed: {}", entry.name(), LifecycleController.describe(e), e);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return ran;
  }
}
