package dev.pave.config.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a Kubernetes secret (or ConfigMap) volume: one file per key. The kubelet's atomic writer
 * keeps the real files in a hidden {@code ..<timestamp>} directory, points the {@code ..data}
 * symlink at it and exposes each key as a symlink {@code key -> ..data/key}; an update writes a new
 * timestamp directory and renames a fresh symlink over {@code ..data}, so a reader following the
 * visible links sees either the old or the new set. Entries starting with {@code ..} are skipped.
 */
public final class SecretVolume {

  /** The outcome of reading one key: the text, or why it could not be read (never the content). */
  public record Read(String value, String error) {
    boolean ok() {
      return error == null;
    }
  }

  private SecretVolume() {}

  /**
   * Reads every visible entry of {@code dir}; a missing directory yields an empty map.
   *
   * @throws IOException if the directory exists but cannot be listed
   */
  public static Map<String, Read> read(Path dir) throws IOException {
    var out = new TreeMap<String, Read>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith("..")) {
          continue;
        }
        out.put(name, readOne(entry));
      }
    }
    return out;
  }

  /** Reads one key file following symlinks; strips trailing newlines. */
  public static Read readOne(Path file) {
    if (Files.isDirectory(file)) {
      return new Read(null, "is a directory; expected a regular file holding the value");
    }
    try {
      return new Read(stripTrailingNewlines(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)), null);
    } catch (IOException e) {
      return new Read(null, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Removes trailing {@code \n} and {@code \r}: {@code echo value > file} and editors add them. */
  public static String stripTrailingNewlines(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }
}
