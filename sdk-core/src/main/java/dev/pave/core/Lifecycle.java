package dev.pave.core;

import java.util.function.Consumer;

/** The lifecycle of the running service, as seen by its code ({@link ServiceContext#lifecycle()}). */
public interface Lifecycle {

  /**
   * The current state.
   *
   * @return the current state, never null
   */
  LifecycleState state();

  /**
   * Calls {@code listener} with each later state change, on the thread that makes the change. A
   * listener must return quickly; an exception it throws is logged and ignored.
   *
   * @param listener receives the new state
   * @return a subscription that stops the calls when closed
   */
  Subscription onStateChange(Consumer<LifecycleState> listener);
}
