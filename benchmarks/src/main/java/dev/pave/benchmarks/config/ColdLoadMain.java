package dev.pave.benchmarks.config;

import java.io.IOException;

/**
 * Cold start, paired: one fresh JVM per measurement, timing the first load in the process (class
 * loading and interpretation included). Alternate the two in a loop so both see the same machine
 * load; compare medians.
 *
 * <pre>
 * for i in $(seq 10); do
 *   java -cp benchmarks/target/benchmarks.jar dev.pave.benchmarks.config.ColdLoadMain pave
 *   java -cp benchmarks/target/benchmarks.jar dev.pave.benchmarks.config.ColdLoadMain peer
 * done
 * </pre>
 */
public final class ColdLoadMain {

  private ColdLoadMain() {}

  /** Prints {@code <which> first-load-ms=<t>}. */
  public static void main(String[] args) throws IOException {
    boolean pave = args.length == 0 || args[0].equals("pave");
    var benchmark = new ConfigLoadBenchmark();
    benchmark.writeSources();
    try {
      long start = System.nanoTime();
      Object result = pave ? benchmark.paveLoad500Keys() : benchmark.rawReadPeer();
      long elapsed = System.nanoTime() - start;
      System.out.println((pave ? "pave" : "peer") + " first-load-ms=" + elapsed / 1_000_000.0
          + (result == null ? " (no result)" : ""));
    } finally {
      benchmark.deleteSources();
    }
  }
}
