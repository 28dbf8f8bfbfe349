package dev.pave.config;

import java.time.Duration;

/** A child-process entry point: what a service's main sees from {@link Config#load()}. */
final class LoadMain {

  record Lifecycle(Duration drainDelay, int port) {}

  private LoadMain() {}

  public static void main(String[] args) {
    try (Config config = Config.load()) {
      System.out.println("secrets listed before first secret access: " + config.entries().stream().filter(ConfigEntry::secret).count());
      Lifecycle lifecycle = config.bind("lifecycle", Lifecycle.class);
      System.out.println("bound " + lifecycle);
      System.out.println("secret " + config.secret("payments.api-key") + " length " + config.secret("payments.api-key").reveal().length());
      for (ConfigEntry entry : config.entries()) {
        if (entry.key().startsWith("lifecycle.") || entry.key().startsWith("payments.")) {
          System.out.println("entry " + entry.key() + "=" + entry.value() + " | " + entry.source());
        }
      }
    } catch (ConfigException e) {
      System.out.println("failed " + e.getMessage());
      System.exit(2);
    }
  }
}
