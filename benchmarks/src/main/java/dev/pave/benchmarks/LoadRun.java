package dev.pave.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What the load-generator benchmarks share: their options, medians, the machine's load, a free
 * loopback port for a child process, and a child process's resident memory.
 */
public final class LoadRun {
  private LoadRun() {}

  /**
   * Parses {@code --name=value} arguments.
   *
   * @param names the accepted names, for the error message
   * @throws IllegalArgumentException naming the argument and the accepted names
   */
  public static Map<String, String> options(String[] args, String names) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value (" + names + "), got " + arg);
      }
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    return options;
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** A port free on 127.0.0.1 now, for a child process to bind. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The resident set size of process {@code pid} in KiB ({@code VmRSS} in {@code /proc}). */
  public static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  /** {@code /proc/loadavg}, recorded with every run: these machines are shared and noisy. */
  public static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
