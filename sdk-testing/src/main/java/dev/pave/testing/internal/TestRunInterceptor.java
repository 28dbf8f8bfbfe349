package dev.pave.testing.internal;

import dev.pave.core.PaveServiceBuilder;
import dev.pave.core.ServiceContext;
import dev.pave.core.spi.RunInterceptor;
import java.util.function.Consumer;

/**
 * Starts the service in-process when {@code @PaveTest} is running its {@code main}; otherwise
 * leaves {@code run} alone. Registered in {@code META-INF/services}.
 */
public final class TestRunInterceptor implements RunInterceptor {

  @Override
  public boolean intercept(PaveServiceBuilder service, Consumer<ServiceContext> setup) {
    Launch launch = Launch.current();
    if (launch == null) {
      return false;
    }
    launch.started(service.config(launch.config()).start(setup));
    return true;
  }
}
