package dev.pave.config;

/** A registration that can be cancelled, such as a secret-change listener. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  /** Cancels the registration; the listener is not called after this returns. */
  @Override
  void close();
}
