package dev.pave.config.internal;

import dev.pave.config.ConfigException.Problem;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parsed file sources of the process's configuration: read once, read again only when they
 * changed.
 *
 * <p>Why: a service's configuration is loaded twice at startup, by Logback's configurator
 * (sdk-logging) when the first logger is created and by sdk-core's first step, and the two loads
 * could read different file contents (a ConfigMap updated in between) and parse every file twice.
 * The environment and the system properties are taken as they are on every load: they are maps
 * with nothing to parse, and a {@code main} may set a property between the two loads, which the
 * later load must see. The files are what a load reads and parses, so they are what is shared: a
 * later load reuses the earlier parse of every file that has not changed, and reads a file that
 * did change, so it always sees the current content.
 *
 * <p>A classpath resource that is not a plain file (inside a jar) cannot change while the process
 * runs and is kept by its URL. A plain file and a config directory are kept with a fingerprint,
 * each entry's name, size, modification time and file key (one {@code stat} per entry, no read),
 * and read again when it differs; the kubelet's atomic {@code ..data} swap changes every file key.
 * A read that reported a problem is never kept, so a broken file is reported by every load. At
 * most {@value #MAX_ENTRIES} sources are kept (tests load from many temporary directories).
 */
final class FileSources {

  static final int MAX_ENTRIES = 32;

  private static final Map<Object, Kept> KEPT = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Object, Kept> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  /** Files read and parsed since the process started (tests observe the sharing with it). */
  private static final AtomicLong READS = new AtomicLong();

  private record Kept(Object fingerprint, List<ConfigState.Layer> layers) {}

  private FileSources() {}

  /**
   * The kept parse of a source, if it is still current. The caller reads the source when
   * {@link #layers()} is null and hands the result to {@link #keep}. (No lambdas: this runs cold,
   * on the first load, where each lambda's first linkage costs about a millisecond.)
   */
  static final class Lookup {
    private final Object key;
    private final Object fingerprint;
    private final List<ConfigState.Layer> layers;
    private final int problemsBefore;

    private Lookup(Object key, Object fingerprint, List<ConfigState.Layer> layers, int problemsBefore) {
      this.key = key;
      this.fingerprint = fingerprint;
      this.layers = layers;
      this.problemsBefore = problemsBefore;
    }

    /** The kept layers, or null when the source must be read. */
    List<ConfigState.Layer> layers() {
      return layers;
    }

    /** Keeps what was read, unless the read reported a problem or the source has no fingerprint. */
    void keep(List<ConfigState.Layer> read, List<Problem> problems) {
      READS.incrementAndGet();
      synchronized (KEPT) {
        if (fingerprint != null && problems.size() == problemsBefore) {
          KEPT.put(key, new Kept(fingerprint, read));
        } else {
          KEPT.remove(key);
        }
      }
    }
  }

  /** Looks up the classpath resource {@code url}. */
  static Lookup classpath(URL url, List<Problem> problems) {
    Object fingerprint = "unchanging";
    if ("file".equals(url.getProtocol())) {
      try {
        fingerprint = fingerprint(List.of(Path.of(url.toURI())));
      } catch (URISyntaxException | IllegalArgumentException e) {
        fingerprint = null;
      }
    }
    return lookup(url.toExternalForm(), fingerprint, problems);
  }

  /** Looks up the config directory {@code dir} (which exists). */
  static Lookup directory(Path dir, List<Problem> problems) {
    var entries = new ArrayList<Path>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
      for (Path entry : listing) {
        if (!entry.getFileName().toString().startsWith(".")) {
          entries.add(entry);
        }
      }
    } catch (IOException e) {
      return lookup(dir.toAbsolutePath(), null, problems); // the read reports it
    }
    return lookup(dir.toAbsolutePath(), fingerprint(entries), problems);
  }

  static long reads() {
    return READS.get();
  }

  private static Lookup lookup(Object key, Object fingerprint, List<Problem> problems) {
    Kept kept;
    synchronized (KEPT) {
      kept = KEPT.get(key);
    }
    boolean current = fingerprint != null && kept != null && kept.fingerprint().equals(fingerprint);
    return new Lookup(key, fingerprint, current ? kept.layers() : null, problems.size());
  }

  /** Name, size, modification time and file key of each file; null if one cannot be read. */
  private static Object fingerprint(List<Path> files) {
    var out = new TreeMap<String, List<Object>>();
    for (Path file : files) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Object fileKey = attributes.fileKey();
        out.put(file.getFileName().toString(),
            List.of(attributes.size(), attributes.lastModifiedTime(), fileKey != null ? fileKey : "", attributes.isDirectory()));
      } catch (IOException e) {
        return null;
      }
    }
    return out;
  }
}
