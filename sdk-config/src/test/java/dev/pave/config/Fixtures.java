package dev.pave.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test fixtures: classpath roots, the kubelet atomic-writer layout, the real age CLI. */
final class Fixtures {

  private Fixtures() {}

  /** A class loader that sees only the given files (name to content) as classpath resources. */
  static ClassLoader classpath(Path root, Map<String, String> resources) {
    try {
      Files.createDirectories(root);
      for (Map.Entry<String, String> resource : resources.entrySet()) {
        Files.writeString(root.resolve(resource.getKey()), resource.getValue());
      }
      return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code values} the way the kubelet's atomic writer does: a fresh {@code ..<timestamp>}
   * directory, a {@code ..data_tmp} symlink to it renamed over {@code ..data}, and visible
   * {@code key -> ..data/key} symlinks.
   */
  static void kubeletWrite(Path volume, String timestamp, Map<String, String> values) throws IOException {
    Files.createDirectories(volume);
    Path payload = volume.resolve(".." + timestamp);
    Files.createDirectory(payload);
    for (Map.Entry<String, String> value : values.entrySet()) {
      Files.writeString(payload.resolve(value.getKey()), value.getValue());
    }
    swapData(volume, timestamp);
    for (String key : values.keySet()) {
      Path visible = volume.resolve(key);
      if (!Files.isSymbolicLink(visible)) {
        Files.createSymbolicLink(visible, Path.of("..data").resolve(key));
      }
    }
  }

  /** Atomically points {@code ..data} at {@code ..<timestamp>}. */
  static void swapData(Path volume, String timestamp) throws IOException {
    Path tmp = volume.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(".." + timestamp));
    Files.move(tmp, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Runs a command, failing with its output if it exits non-zero. Returns stdout. */
  static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(command + " exited " + process.exitValue() + ": " + text);
    }
    return text;
  }

  /** Makes an identity with the real age-keygen and returns its public key (age1...). */
  static String ageKeygen(Path identity) throws IOException, InterruptedException {
    Files.createDirectories(identity.getParent());
    run(List.of("age-keygen", "-o", identity.toString()));
    return run(List.of("age-keygen", "-y", identity.toString())).strip();
  }

  /** Encrypts {@code plaintext} to {@code recipient} with the real age CLI. */
  static void ageEncrypt(String recipient, String plaintext, Path out) throws IOException, InterruptedException {
    Path plain = Files.createTempFile(out.getParent(), "plain", ".txt");
    Files.writeString(plain, plaintext);
    run(List.of("age", "-r", recipient, "-o", out.toString(), plain.toString()));
    Files.delete(plain);
  }
}
