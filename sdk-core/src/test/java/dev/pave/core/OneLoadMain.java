package dev.pave.core;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service whose {@code application.yaml} counts how often it is opened: the context class loader
 * serves it from memory, set before the first logger is created (so Logback's configurator, which
 * loads the configuration at that moment, reads it through the same loader as sdk-core's step 1).
 * Prints the count from the setup code, after both loads.
 */
final class OneLoadMain {
  static final AtomicInteger OPENED = new AtomicInteger();

  static {
    Thread.currentThread().setContextClassLoader(new CountingLoader(OneLoadMain.class.getClassLoader()));
  }

  private static final Logger log = LoggerFactory.getLogger(OneLoadMain.class);

  private OneLoadMain() {}

  public static void main(String[] args) {
    log.info("first line, before run()");
    if (args.length > 0) {
      System.setProperty("logging.format", args[0]); // what a main may do before run()
    }
    Pave.service("one-load").run(svc -> log.info("application.yaml opened {} times", OPENED.get()));
  }

  /** Serves application.yaml from memory through a URL that counts each open. */
  private static final class CountingLoader extends ClassLoader {
    private static final byte[] YAML = "logging:\n  format: text\n".getBytes(StandardCharsets.UTF_8);

    CountingLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    public URL getResource(String name) {
      if (!name.equals("application.yaml")) {
        return super.getResource(name);
      }
      try {
        return new URL(null, "counted:application.yaml", new URLStreamHandler() {
          @Override
          protected URLConnection openConnection(URL url) {
            return new URLConnection(url) {
              @Override
              public void connect() {}

              @Override
              public InputStream getInputStream() {
                OPENED.incrementAndGet();
                return new ByteArrayInputStream(YAML);
              }
            };
          }
        });
      } catch (java.net.MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
