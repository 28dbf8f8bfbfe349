package dev.pave.core.spi;

import dev.pave.config.Experimental;
import dev.pave.core.PaveServiceBuilder;
import dev.pave.core.ServiceContext;
import java.util.function.Consumer;

/**
 * Takes over {@link PaveServiceBuilder#run(Consumer)} before anything starts, so that a test kit
 * can run a service's unmodified {@code main} inside the test JVM: sdk-testing's
 * {@code @PaveTest} gives the builder test configuration and calls {@link
 * PaveServiceBuilder#start(Consumer)} instead.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (thread context class loader)
 * each time {@code run} is called. Production classpaths have none; an interceptor that has
 * nothing to do returns {@code false} and the service runs as the process.
 */
@Experimental("a service-provider interface for test kits; its shape may change as more kits use it")
public interface RunInterceptor {

  /**
   * Called by {@link PaveServiceBuilder#run(Consumer)} before the service starts.
   *
   * @param service the builder {@code run} was called on
   * @param setup the service's wiring, as given to {@code run}
   * @return {@code true} when this interceptor took over: {@code run} then returns at once
   *     without starting, blocking or exiting; {@code false} to let {@code run} proceed
   */
  boolean intercept(PaveServiceBuilder service, Consumer<ServiceContext> setup);
}
