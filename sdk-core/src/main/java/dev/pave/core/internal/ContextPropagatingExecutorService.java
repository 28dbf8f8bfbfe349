package dev.pave.core.internal;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.MDC;

/**
 * Captures the OpenTelemetry context and the MDC at submission and restores both around the task.
 * OpenTelemetry's own {@code Context.taskWrapping} covers the trace context only; the MDC copy is
 * the part no library offers for plain executors, hence this class.
 */
public final class ContextPropagatingExecutorService implements ExecutorService {
  /**
   * The context of a task that just threw on this thread: the scope is already closed when the
   * uncaught exception handler runs, so the handler reads it from here to log with the trace.
   */
  private static final ThreadLocal<Context> FAILED_TASK_CONTEXT = new ThreadLocal<>();

  private final ExecutorService delegate;

  public ContextPropagatingExecutorService(ExecutorService delegate) {
    this.delegate = delegate;
  }

  public static Runnable wrap(Runnable task) {
    Context context = Context.current();
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    return () -> {
      try {
        callIn(context, mdc, true, () -> {
          task.run();
          return null;
        });
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e); // unreachable: Runnable.run throws no checked exception
      }
    };
  }

  public static <T> Callable<T> wrap(Callable<T> task) {
    Context context = Context.current();
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    return () -> callIn(context, mdc, false, task);
  }

  /**
   * Runs {@code task} with {@code context} current and {@code mdc} as the MDC, then restores the
   * thread's own MDC. A Runnable's failure reaches the uncaught exception handler, so its context
   * is remembered for it ({@code rememberFailure}); a Callable's failure goes into its Future.
   */
  private static <T> T callIn(Context context, Map<String, String> mdc, boolean rememberFailure, Callable<T> task)
      throws Exception {
    Map<String, String> previous = MDC.getCopyOfContextMap();
    setMdc(mdc);
    try (Scope ignored = context.makeCurrent()) {
      return task.call();
    } catch (RuntimeException | Error e) {
      if (rememberFailure) {
        FAILED_TASK_CONTEXT.set(context);
      }
      throw e;
    } finally {
      setMdc(previous);
    }
  }

  /** Returns and forgets the context of the task that last threw on this thread, or null. */
  static Context takeFailedTaskContext() {
    Context context = FAILED_TASK_CONTEXT.get();
    FAILED_TASK_CONTEXT.remove();
    return context;
  }

  private static void setMdc(Map<String, String> values) {
    if (values == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(values);
    }
  }

  private static <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
    List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      wrapped.add(wrap(task));
    }
    return wrapped;
  }

  @Override
  public void execute(Runnable command) {
    delegate.execute(wrap(command));
  }

  @Override
  public Future<?> submit(Runnable task) {
    return delegate.submit(wrap(task));
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return delegate.submit(wrap(task), result);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return delegate.submit(wrap(task));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
    return delegate.invokeAll(wrapAll(tasks));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    return delegate.invokeAll(wrapAll(tasks), timeout, unit);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
    return delegate.invokeAny(wrapAll(tasks));
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return delegate.invokeAny(wrapAll(tasks), timeout, unit);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return delegate.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }
}
