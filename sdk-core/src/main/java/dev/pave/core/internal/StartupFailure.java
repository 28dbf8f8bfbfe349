package dev.pave.core.internal;

import dev.pave.core.CoreSettings;
import java.io.IOException;

/**
 * What a failed start says: the one line of its reason, and the throwable whose stack trace
 * follows it, if one helps (null when the message says it all).
 */
record StartupFailure(String reason, Throwable stackTrace) {

  /**
   * Explains {@code e}, thrown by the startup order; {@code settings} is null before step 2, and
   * {@code adminRunning} says whether step 7 bound the admin port.
   */
  static StartupFailure explain(Throwable e, CoreSettings settings, boolean adminRunning) {
    if (e instanceof LifecycleController.ComponentStartException) {
      return new StartupFailure(e.getMessage(), e.getCause());
    }
    if (e instanceof IOException && !adminRunning && settings != null) {
      return new StartupFailure("admin server cannot listen on " + settings.admin().host() + ":" + settings.admin().port()
          + " (" + CoreSettings.ADMIN + ".port): " + LifecycleController.describe(e), e);
    }
    if (e instanceof LinkageError) {
      // NoClassDefFoundError, NoSuchMethodError...: almost always two versions of one library on
      // the class path (adoption report, defect 5). Say so, and what fixes it.
      return new StartupFailure(LifecycleController.describe(e) + "; this is a class-path conflict: two versions of one"
          + " library (often an older gRPC or OpenTelemetry brought by another dependency). Import"
          + " dev.pave:sdk-bom or inherit dev.pave:sdk-parent, which align the stack; the"
          + " conformance rule PAVE-011 and mvn dependency:tree name the jars", e);
    }
    if (isBadInput(e)) {
      return new StartupFailure(e.getMessage(), null);
    }
    return new StartupFailure(LifecycleController.describe(e), e); // a bug in setup code: its type, and the stack below
  }

  /**
   * Configuration and budget errors: their message names the key and what was expected, and a
   * stack trace would only bury it.
   */
  private static boolean isBadInput(Throwable e) {
    return e.getMessage() != null
        && (e instanceof IllegalArgumentException || e instanceof IllegalStateException
            || e.getClass().getName().startsWith("dev.pave.config."));
  }
}
