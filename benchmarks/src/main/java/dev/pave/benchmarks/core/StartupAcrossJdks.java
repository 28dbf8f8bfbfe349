package dev.pave.benchmarks.core;

import dev.pave.benchmarks.LoadRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Time to READY and idle RSS of a real service jar (default: the payments sample), as whole
 * processes, on each JDK a service runs, with and without the JDK's class-data cache: JDK 17
 * plain and with an AppCDS archive ({@code -XX:ArchiveClassesAtExit} on a training run, {@code
 * -XX:SharedArchiveFile} after), JDK 25 plain and with the AOT cache of JEP 483/514 ({@code
 * -XX:AOTCacheOutput} on a training run, {@code -XX:AOTCache} after), and the last with the Serial
 * GC a small container gets by default. Configurations run
 * interleaved, in a rotating order, {@code --rounds} times each; medians and ranges are printed.
 *
 * <p>Time to READY: from just before the process is started to the moment its stdout (a pipe)
 * carries the line {@code lifecycle state READY}. Idle RSS: {@code VmRSS} of the process one
 * second after READY (the definition, not a wait for something). Each process is then stopped with
 * SIGTERM, as Kubernetes does. The service is configured as in a Deployment: environment only,
 * a secret volume directory with its one key, ports chosen by the kernel, loopback.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks,samples/payments -am
 * java -cp benchmarks/target/benchmarks.jar dev.pave.benchmarks.core.StartupAcrossJdks \
 *     --rounds=20 --jdk17=/usr/lib/jvm/java-17-openjdk-amd64 --jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
 * </pre>
 */
public final class StartupAcrossJdks {

  private record Config(String name, Path java, List<String> trainFlags, List<String> runFlags) {}

  private static final Path OUT = Path.of("benchmarks", "target", "startup-jdks");

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "20"));
    Path jar = Path.of(options.getOrDefault("jar", "samples/payments/target/payments.jar"));
    Path jdk17 = Path.of(options.getOrDefault("jdk17", "/usr/lib/jvm/java-17-openjdk-amd64"));
    Path jdk25 = Path.of(options.getOrDefault("jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    Files.createDirectories(OUT);
    Path secrets = Files.createDirectories(OUT.resolve("secrets"));
    Files.writeString(secrets.resolve("payments.api-key"), "bench-api-key-0123456789");
    Path cds17 = OUT.resolve("app-17.jsa").toAbsolutePath();
    Path aot25 = OUT.resolve("app-25.aot").toAbsolutePath();
    Files.deleteIfExists(cds17);
    Files.deleteIfExists(aot25);
    List<String> common = List.of("-XX:+ExitOnOutOfMemoryError");
    List<Config> configs = List.of(
        new Config("JDK 17", java(jdk17), List.of(), common),
        new Config("JDK 17 + AppCDS", java(jdk17),
            concat(common, "-XX:ArchiveClassesAtExit=" + cds17),
            concat(common, "-XX:SharedArchiveFile=" + cds17)),
        new Config("JDK 25", java(jdk25), List.of(), common),
        new Config("JDK 25 + AOT cache", java(jdk25),
            concat(common, "-XX:AOTCacheOutput=" + aot25),
            concat(common, "-XX:AOTCache=" + aot25)),
        // What the JVM picks by itself in a container of under 2 CPUs or 1792 MiB: Serial GC.
        new Config("JDK 25 + AOT cache + Serial GC", java(jdk25), List.of(),
            concat(concat(common, "-XX:AOTCache=" + aot25), "-XX:+UseSerialGC")));
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "startup of %s, %d rounds per configuration; load average: %s%n",
        jar, rounds, LoadRun.loadAverage());
    for (Config c : configs) {
      if (!c.trainFlags().isEmpty()) {
        long[] r = start(c.java(), c.trainFlags(), jar, secrets); // the training run
        out.printf(Locale.ROOT, "trained %s (training run READY in %d ms)%n", c.name(), r[0]);
      }
    }
    Map<String, List<long[]>> results = new LinkedHashMap<>();
    configs.forEach(c -> results.put(c.name(), new ArrayList<>()));
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < configs.size(); k++) {
        Config c = configs.get((k + round) % configs.size());
        results.get(c.name()).add(start(c.java(), c.runFlags(), jar, secrets));
      }
    }
    out.println();
    out.println("| configuration | time to READY, median (range) | idle RSS, median (range) |");
    out.println("|---|---|---|");
    for (Map.Entry<String, List<long[]>> e : results.entrySet()) {
      long[] ready = e.getValue().stream().mapToLong(r -> r[0]).sorted().toArray();
      long[] rss = e.getValue().stream().mapToLong(r -> r[1]).sorted().toArray();
      out.printf(Locale.ROOT, "| %s | %d ms (%d-%d) | %.0f MiB (%.0f-%.0f) |%n", e.getKey(),
          ready[ready.length / 2], ready[0], ready[ready.length - 1],
          rss[rss.length / 2] / 1024.0, rss[0] / 1024.0, rss[rss.length - 1] / 1024.0);
    }
    out.printf(Locale.ROOT, "load average at end: %s%n", LoadRun.loadAverage());
  }

  /** Starts the jar, returns {ms to READY, idle RSS in KiB}; stops it with SIGTERM. */
  private static long[] start(Path java, List<String> flags, Path jar, Path secrets)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(flags);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(OUT.resolve("last.stderr").toFile());
    Map<String, String> env = builder.environment();
    env.put("GRPC_PORT", "0");
    env.put("GRPC_SERVER_HOST", "127.0.0.1");
    env.put("ADMIN_PORT", "0");
    env.put("ADMIN_HOST", "127.0.0.1");
    env.put("LIFECYCLE_DRAIN_DELAY", "0s");
    env.put("SECRETS_DIR", secrets.toAbsolutePath().toString());
    long started = System.nanoTime();
    Process process = builder.start();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      long readyMillis = -1;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.contains("lifecycle state READY")) {
          readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
          break;
        }
      }
      if (readyMillis < 0) {
        throw new IllegalStateException("no READY line; exit " + process.waitFor()
            + "; see " + OUT.resolve("last.stderr"));
      }
      // Keep draining stdout (a pipe nobody reads would block the service) while it idles.
      Thread drain = new Thread(() -> {
        try {
          lines.transferTo(Writer.nullWriter());
        } catch (IOException ignored) {
          // the process ended
        }
      });
      drain.start();
      process.waitFor(1, TimeUnit.SECONDS); // the idle point: one second after READY
      long rss = LoadRun.rssKib(process.pid());
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("no exit 60 s after SIGTERM");
      }
      drain.join();
      if (process.exitValue() != 0) {
        throw new IllegalStateException("exit " + process.exitValue() + " after SIGTERM");
      }
      return new long[] {readyMillis, rss};
    }
  }


  private static Path java(Path jdk) {
    Path java = jdk.resolve("bin").resolve("java");
    if (!Files.isExecutable(java)) {
      throw new IllegalArgumentException("no java at " + java + " (set --jdk17 / --jdk25)");
    }
    return java;
  }

  private static List<String> concat(List<String> list, String more) {
    List<String> all = new ArrayList<>(list);
    all.add(more);
    return all;
  }

  private StartupAcrossJdks() {}
}
