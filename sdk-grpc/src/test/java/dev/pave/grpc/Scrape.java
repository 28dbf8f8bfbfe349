package dev.pave.grpc;

import java.util.Arrays;
import java.util.stream.Stream;

/** Reads one sample of a Prometheus text exposition. */
final class Scrape {
  private Scrape() {}

  /** The value of the first sample named {@code name} whose labels contain every pair; -1 if none. */
  static double value(String scrape, String name, String... labelPairs) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> Arrays.stream(labelPairs).allMatch(p -> labels(l).contains(p)))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }

  private static String labels(String line) {
    int open = line.indexOf('{');
    return open < 0 ? "" : "," + line.substring(open + 1, line.lastIndexOf('}')) + ",";
  }

  static String[] and(String[] pairs, String... more) {
    return Stream.concat(Arrays.stream(pairs), Arrays.stream(more)).toArray(String[]::new);
  }
}
