package dev.pave.core.internal;

/** Per-step startup durations, logged at DEBUG ({@code startup steps (ms)}) to see where startup time goes. */
final class StepTimer {
  private final StringBuilder laps = new StringBuilder();
  private long last = System.nanoTime();
  private int step = 1;

  /** Ends the current step. */
  void lap() {
    long now = System.nanoTime();
    laps.append(laps.length() == 0 ? "" : ", ").append(step++).append('=').append((now - last) / 1_000_000);
    last = now;
  }

  /** Ends the last step and returns every step's milliseconds, as {@code 1=3, 2=26, ...}. */
  String laps() {
    lap();
    return laps.toString();
  }
}
