package dev.pave.core;

import dev.pave.core.internal.ContextPropagatingExecutorService;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Wraps executors so that a task runs with the OpenTelemetry context (current span, baggage) and
 * the SLF4J MDC of the thread that submitted it; logs written by the task then carry the same
 * {@code trace_id}. {@link ServiceContext#executor(String, int)} returns executors already wrapped.
 */
public final class ContextExecutors {
  private ContextExecutors() {}

  /**
   * Wraps an executor service. Shutting down the wrapper shuts down {@code delegate}.
   *
   * @param delegate the executor that runs the tasks
   * @return the context-propagating executor service
   */
  public static ExecutorService wrap(ExecutorService delegate) {
    return new ContextPropagatingExecutorService(Objects.requireNonNull(delegate, "delegate"));
  }

  /**
   * Wraps an executor.
   *
   * @param delegate the executor that runs the tasks
   * @return the context-propagating executor
   */
  public static Executor wrap(Executor delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return task -> delegate.execute(ContextPropagatingExecutorService.wrap(task));
  }
}
