package dev.pave.config.internal;

import dev.pave.config.ConfigException.Problem;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parsed classpath resources of the process's configuration ({@code application.yaml},
 * {@code application-<env>.yaml}), read once.
 *
 * <p>Why: a service's configuration is loaded twice at startup, by Logback's configurator
 * (sdk-logging) when the first logger is created and by sdk-core's first step. A resource inside
 * the service's jar cannot change while the process runs, so the second load reuses the first's
 * parse: the two loads see one content, and the YAML is read and parsed once. Everything that can
 * change is read by every load, so a later load always sees the current value: the environment and
 * the system properties (a {@code main} may set one between the two loads), the config
 * directories (a ConfigMap updated in between) and a resource that is a plain file (an exploded
 * classes directory while developing). A read that reported a problem is never kept, so a broken
 * file is reported by every load. At most {@value #MAX_ENTRIES} resources are kept.
 */
final class FileSources {

  static final int MAX_ENTRIES = 32;

  private static final Map<String, ConfigState.Layer> KEPT = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ConfigState.Layer> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  /** Classpath resources read and parsed since the process started (tests observe the sharing). */
  private static final AtomicLong READS = new AtomicLong();

  private FileSources() {}

  /** The kept parse of the classpath resource {@code url}, or null when it must be read. */
  static ConfigState.Layer kept(URL url) {
    if (!unchanging(url)) {
      return null;
    }
    synchronized (KEPT) {
      return KEPT.get(url.toExternalForm());
    }
  }

  /**
   * Records that {@code url} was read as {@code layer}; kept unless the resource may change or
   * the read added to {@code problems} (which had {@code problemsBefore} entries before it).
   */
  static void read(URL url, ConfigState.Layer layer, List<Problem> problems, int problemsBefore) {
    READS.incrementAndGet();
    if (unchanging(url) && problems.size() == problemsBefore) {
      synchronized (KEPT) {
        KEPT.put(url.toExternalForm(), layer);
      }
    }
  }

  static long reads() {
    return READS.get();
  }

  /** Not a plain file: a jar entry (or another loader's resource) does not change under a process. */
  private static boolean unchanging(URL url) {
    return !"file".equals(url.getProtocol());
  }
}
