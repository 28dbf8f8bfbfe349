package dev.pave.benchmarks.logging;

import dev.pave.benchmarks.LoadRun;
import dev.pave.logging.LoggingSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The log pipeline as deployed: lines per second from application threads, through encode and
 * redact, into a real pipe read by a separate process ({@code cat} into a file, as a container
 * runtime does), Pave's zero-config pipeline against Logback's own asynchronous pipeline
 * ({@code AsyncAppender} with the same queue size, {@code discardingThreshold=0} so it loses
 * nothing, {@code neverBlock=false}, logstash-logback-encoder's {@code LogstashEncoder} and a
 * {@code ConsoleAppender}), each run in a fresh JVM, rounds alternating, round 1 discarded.
 *
 * <p>Sustained: lines written / time from the first log call until every accepted line is written,
 * at WARN, so that both pipelines make the application wait for room rather than drop (Pave drops
 * only INFO and below): the figure is the pipeline's capacity, not how fast lines can be dropped.
 * Burst: one 1 MB message then {@code --burst} lines in a tight loop; INFO lines lost are counted
 * (Pave drops INFO only when its queue is full; Logback here blocks instead).
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar dev.pave.benchmarks.logging.LogPipelineBenchmark \
 *     --lines=400000 --threads=4 --rounds=6 --burst=20000
 * </pre>
 */
public final class LogPipelineBenchmark {

  private record Run(double linesPerSecond, long written, long dropped) {}

  private static final Path OUT = Path.of("benchmarks", "target", "log-pipeline");
  /** Pave's default queue size ({@code logging.async.queue-size}), given to Logback's too. */
  private static final int QUEUE = LoggingSettings.DEFAULT_QUEUE_SIZE;

  public static void main(String[] args) throws Exception {
    Map<String, String> options = LoadRun.options(args, "lines, threads, rounds, burst");
    int lines = Integer.parseInt(options.getOrDefault("lines", "400000"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "4"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "6"));
    int burst = Integer.parseInt(options.getOrDefault("burst", "20000"));
    Files.createDirectories(OUT);
    Path logbackXml = OUT.resolve("logback-async-logstash.xml");
    Files.writeString(logbackXml, """
        <configuration>
          <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
            <encoder class="net.logstash.logback.encoder.LogstashEncoder"/>
          </appender>
          <appender name="ASYNC" class="ch.qos.logback.classic.AsyncAppender">
            <queueSize>%d</queueSize>
            <discardingThreshold>0</discardingThreshold>
            <neverBlock>false</neverBlock>
            <maxFlushTime>120000</maxFlushTime>
            <appender-ref ref="CONSOLE"/>
          </appender>
          <root level="INFO"><appender-ref ref="ASYNC"/></root>
        </configuration>
        """.formatted(QUEUE));
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "log pipeline to a pipe: %,d lines from %d threads per run, %d rounds (round 1 discarded),"
            + " queue %d for both, %s; load average at start: %s%n",
        lines, threads, rounds, QUEUE, Runtime.version(), LoadRun.loadAverage());
    List<String> modes = List.of("PAVE", "LOGBACK");
    List<double[]> rates = new ArrayList<>();
    double[] ratios = new double[rounds - 1];
    for (int round = 1; round <= rounds; round++) {
      double[] rate = new double[2];
      for (int k = 0; k < 2; k++) {
        int m = (k + round - 1) % 2;
        Run run = child(modes.get(m), logbackXml, "sustained", lines, threads);
        rate[m] = run.linesPerSecond();
        out.printf(
            Locale.ROOT, "round %d%s %-8s %,10.0f lines/s written  (%,d written, %s dropped)%n",
            round, round == 1 ? " (warm-up)" : "", modes.get(m), run.linesPerSecond(),
            run.written(), run.dropped() < 0 ? "n/a" : Long.toString(run.dropped()));
      }
      if (round > 1) {
        rates.add(rate);
        ratios[round - 2] = rate[0] / rate[1];
      }
    }
    out.printf(
        Locale.ROOT,
        "%n| pipeline | lines/s written (median) | Pave / Logback (median of per-round ratios) |"
            + " per-round ratios |%n|---|---|---|---|%n| PAVE | %,.0f | %.2fx | %s |%n"
            + "| LOGBACK async + LogstashEncoder | %,.0f | 1.00x | |%n",
        LoadRun.median(rates.stream().mapToDouble(r -> r[0]).toArray()), LoadRun.median(ratios),
        Arrays.toString(Arrays.stream(ratios).map(r -> Math.round(r * 100) / 100.0).toArray()),
        LoadRun.median(rates.stream().mapToDouble(r -> r[1]).toArray()));
    out.printf(Locale.ROOT, "%nburst: one 1 MB message, then %,d lines in a tight loop%n", burst);
    for (String mode : modes) {
      Run run = child(mode, logbackXml, "burst", burst, 1);
      out.printf(
          Locale.ROOT, "| %s | %,d of %,d written | %s INFO lines dropped (counted) |%n",
          mode, run.written(), burst, run.dropped() < 0 ? "n/a" : Long.toString(run.dropped()));
    }
    out.printf(Locale.ROOT, "load average at end: %s%n", LoadRun.loadAverage());
  }

  private static Run child(String mode, Path logbackXml, String kind, int lines, int threads)
      throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java));
    if (mode.equals("LOGBACK")) {
      command.add("-Dlogback.configurationFile=" + logbackXml.toAbsolutePath());
    }
    command.addAll(List.of(
        "-cp", System.getProperty("java.class.path"), LogPipelineWorkload.class.getName(),
        kind, Integer.toString(lines), Integer.toString(threads),
        kind.equals("burst") ? "INFO" : "WARN"));
    Path stdout = OUT.resolve(mode + "-" + kind + ".stdout");
    Path stderr = OUT.resolve(mode + "-" + kind + ".stderr");
    ProcessBuilder jvm = new ProcessBuilder(command).redirectError(stderr.toFile());
    ProcessBuilder reader = new ProcessBuilder("cat").redirectOutput(stdout.toFile());
    List<Process> pipeline = ProcessBuilder.startPipeline(List.of(jvm, reader));
    for (Process p : pipeline) {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(mode + " " + kind + " did not finish in 10 minutes");
      }
    }
    String result = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith("RESULT "))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(
            mode + " " + kind + " reported no result; see " + stderr));
    String[] parts = result.split(" ");
    long nanos = Long.parseLong(parts[1]);
    long dropped = Long.parseLong(parts[2]);
    long written;
    try (Stream<String> s = Files.lines(stdout)) {
      written = s.filter(l -> l.contains(LogPipelineWorkload.MARKER)).count();
    }
    return new Run(written / (nanos / 1e9), written, dropped);
  }

  private LogPipelineBenchmark() {}
}
