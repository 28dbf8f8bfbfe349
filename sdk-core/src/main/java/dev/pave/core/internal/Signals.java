package dev.pave.core.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs handlers for SIGTERM and SIGINT with {@code sun.misc.Signal} (module jdk.unsupported,
 * kept for exactly this use).
 *
 * <p>Why not a shutdown hook: a hook runs once the JVM has already decided to exit, so it cannot
 * tell a second SIGINT from the first (to skip the drain) and the process exits with 143/130
 * instead of 0 after an orderly stop. A hook is still installed by the runtime as a backstop for
 * {@code System.exit} from user code. Reflection is used because javac's "internal proprietary
 * API" warning cannot be suppressed and the build runs with {@code -Werror}.
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /**
   * Routes {@code signalName} (e.g. "TERM") to {@code handler}, which runs on a JVM signal thread.
   *
   * @return false if the JVM refused (e.g. started with {@code -Xrs}); the shutdown hook then covers it
   */
  static boolean handle(String signalName, Runnable handler) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance(signalName);
      InvocationHandler invocation =
          (Object proxy, Method method, Object[] args) -> {
            switch (method.getName()) {
              case "handle":
                handler.run();
                return null;
              case "hashCode":
                return System.identityHashCode(proxy);
              case "equals":
                return proxy == args[0];
              case "toString":
                return "pave-signal-handler-" + signalName;
              default:
                throw new UnsupportedOperationException(method.getName());
            }
          };
      Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("cannot handle SIG{} ({}); relying on the shutdown hook", signalName, e.toString());
      return false;
    }
  }
}
