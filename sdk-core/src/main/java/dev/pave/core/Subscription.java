package dev.pave.core;

/** A registration that ends when closed. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  /** Ends the registration. Never throws a checked exception. */
  @Override
  void close();
}
