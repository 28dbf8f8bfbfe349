package dev.pave.benchmarks.logging;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@link EncoderBenchmark} workload measured in CPU time of the measuring thread rather than
 * wall-clock time, with the four encoders interleaved round by round: on a machine shared with
 * other builds, time spent descheduled does not count and every encoder sees the same load.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.pave.benchmarks.logging.EncoderCpuTime [rounds]
 * </pre>
 */
public final class EncoderCpuTime {

  private static final int EVENTS_PER_ROUND = 200_000;

  private EncoderCpuTime() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    EncoderBenchmark benchmark = new EncoderBenchmark();
    benchmark.setUp();
    Map<String, Supplier<byte[]>> encoders = new LinkedHashMap<>();
    encoders.put("pave", benchmark::pave);
    encoders.put("paveRedactionOff", benchmark::paveRedactionOff);
    encoders.put("logstashEncoder", benchmark::logstashEncoder);
    encoders.put("logbackJsonEncoder", benchmark::logbackJsonEncoder);
    Map<String, Long> cpuNanos = new LinkedHashMap<>();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Supplier<byte[]>> encoder : encoders.entrySet()) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < EVENTS_PER_ROUND; i++) {
          sink += encoder.getValue().get().length;
        }
        long spent = threads.getCurrentThreadCpuTime() - start;
        if (round >= rounds / 3) { // the first third warms up
          cpuNanos.merge(encoder.getKey(), spent, Long::sum);
        }
      }
    }
    benchmark.tearDown();
    int measured = rounds - rounds / 3;
    double logstash = (double) cpuNanos.get("logstashEncoder") / measured / EVENTS_PER_ROUND;
    System.out.printf("%-20s %12s %14s %22s%n", "encoder", "ns CPU/op", "events/CPU-s", "throughput vs logstash");
    for (Map.Entry<String, Long> entry : cpuNanos.entrySet()) {
      double nsPerOp = (double) entry.getValue() / measured / EVENTS_PER_ROUND;
      System.out.printf("%-20s %12.1f %14.0f %21.2fx%n", entry.getKey(), nsPerOp, 1e9 / nsPerOp, logstash / nsPerOp);
    }
    System.out.println("(bytes written: " + sink + ")");
  }
}
