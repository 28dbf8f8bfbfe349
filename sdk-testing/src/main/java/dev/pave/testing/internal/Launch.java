package dev.pave.testing.internal;

import dev.pave.config.Config;
import dev.pave.core.RunningService;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.util.Objects;

/**
 * One service start by {@code @PaveTest}: the test configuration going in, and what the
 * interceptor and the span exporter provider hand back. Active on the test thread while the
 * service's {@code main} runs.
 */
public final class Launch {

  private static final ThreadLocal<Launch> CURRENT = new ThreadLocal<>();

  private final Config config;
  private RunningService running;
  private InMemorySpanExporter spans;

  public Launch(Config config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The launch active on this thread, or {@code null}. */
  static Launch current() {
    return CURRENT.get();
  }

  /** Runs {@code main} with this launch active on the current thread. */
  public void run(ThrowingRunnable main) throws Throwable {
    CURRENT.set(this);
    try {
      main.run();
    } finally {
      CURRENT.remove();
    }
  }

  Config config() {
    return config;
  }

  synchronized void started(RunningService service) {
    if (running != null) {
      throw new IllegalStateException("@PaveTest starts one service per test, but main called"
          + " Pave.service(...).run(...) a second time");
    }
    running = service;
  }

  /** The service that main started, or {@code null} if main never called run. */
  public synchronized RunningService running() {
    return running;
  }

  synchronized InMemorySpanExporter spanExporter() {
    if (spans == null) {
      spans = InMemorySpanExporter.create();
    }
    return spans;
  }

  /** The spans exported by the service's SDK. */
  public synchronized InMemorySpanExporter spans() {
    return spanExporter();
  }

  /** {@link Runnable} that may throw. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Throwable;
  }
}
