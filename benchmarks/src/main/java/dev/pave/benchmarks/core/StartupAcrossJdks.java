package dev.pave.benchmarks.core;

import dev.pave.benchmarks.LoadRun;
import dev.pave.testsupport.RuntimeImage;
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
 * GC a small container gets by default, the pod's memory limits, 2 malloc arenas, reflection
 * through native accessors and, last, docs/core.md's recommended start command on each JDK as
 * written (its own cache trained with the same options), the same on the runtime image docs/core.md
 * recommends ({@link RuntimeImage}: the JDK without {@code jdk.localedata}, linked here with each
 * JDK's jlink), and the commands again without C2's thresholds (on the same cache), to show what
 * they save. Configurations run interleaved, in a rotating order, {@code --rounds} times each;
 * medians and ranges are printed.
 *
 * <p>Time to READY: from just before the process is started to the moment its stdout (a pipe)
 * carries the line {@code lifecycle state READY}. RSS: {@code VmRSS} of the process one second
 * after READY; then, for the recommended starts with and without the native heap trim and on the
 * runtime image ({@code --idle-rounds}, default 5), also the idle RSS 12 s after READY, once
 * startup's JIT burst is over (the points of measurement are the definition, not waits for
 * something). Each process is then
 * stopped with SIGTERM, as Kubernetes does. The service is configured as in a Deployment:
 * environment only, a secret volume directory with its one key, ports chosen by the kernel,
 * loopback.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks,samples/payments -am
 * java -cp benchmarks/target/benchmarks.jar dev.pave.benchmarks.core.StartupAcrossJdks \
 *     --rounds=20 --jdk17=/usr/lib/jvm/java-17-openjdk-amd64 --jdk25=/usr/lib/jvm/temurin-25-jdk-amd64 \
 *     --anchors=true
 * </pre>
 *
 * <p>{@code --rounds=0} measures only the idle RSS. {@code --c1-only=true} adds the two
 * small-container rows with the JIT held to C1.
 *
 * <p>{@code --anchors=true} adds Spring Boot's and Quarkus' hello-worlds (benchmarks/anchors, built
 * with Maven from Central on first use), each in its best configuration, as the figures a reader
 * compares to.
 */
public final class StartupAcrossJdks {

  /**
   * One configuration: how to start it, its training run's flags (none: no training), the line that
   * says it is READY, its environment, and the exit codes a SIGTERM may end it with.
   */
  private record Config(String name, Path java, List<String> trainFlags, List<String> runFlags, List<String> target,
      String readyMarker, Map<String, String> env, List<Integer> exitCodes) {}

  /**
   * A pod's memory ergonomics: the samples' manifests give the container a 256 MiB limit and
   * {@code JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75}; {@code -XX:MaxRAM} tells the JVM the limit
   * here, as the container's cgroup would (on this 23 GiB machine the JVM would otherwise size its
   * heap from the whole machine).
   */
  private static final String POD_MEMORY_LIMIT = "-XX:MaxRAM=256m";
  private static final List<String> POD_LIMITS = List.of(POD_MEMORY_LIMIT, "-XX:MaxRAMPercentage=75");

  /**
   * The small-container tuning measured as the recommended start: the Serial GC (what the JVM picks
   * by itself under 2 CPUs; G1's remembered sets and threads cost more than they save in a 192 MiB
   * heap), and glibc's malloc held to 2 arenas (it keeps up to 8 per core, which the JIT's and
   * Netty's threads fill at startup and never give back).
   */
  private static final List<String> SMALL_CONTAINER = List.of("-XX:+UseSerialGC");
  private static final Map<String, String> MALLOC_ARENAS = Map.of("MALLOC_ARENA_MAX", "2");

  /**
   * Core reflection through the JVM's native accessors, as JDK 17 does for a member's first 15
   * calls. Since JDK 18 (JEP 416) every reflective call site spins method-handle classes on its
   * first call; a service binds a dozen settings records through their canonical constructors as
   * it starts, which profiles at about 40 ms of the main thread on JDK 25. JDK 17 ignores the
   * property.
   */
  private static final String NATIVE_REFLECTION = "-Djdk.reflect.useNativeAccessorOnly=true";

  /**
   * glibc keeps what the JIT's compiler arenas freed after startup's compile burst (13-25 MiB in
   * about half the starts on JDK 25, so the idle RSS was two-valued); the JVM returns it with
   * {@code malloc_trim} every 10 s (a product option in 17 and 21 since 2024's updates).
   */
  private static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=10000";

  /**
   * C2 (tier 4) waits for 10 times the invocations and loop iterations it waits for by default, its
   * four thresholds scaled alike. On 2 cores, C2 otherwise spends most of a second core while a
   * service starts compiling code that runs only then (reading the jar's directory, parsing
   * classes and configuration), and the main thread waits for that core: READY ~65 ms sooner on
   * JDK 25 and ~75-115 ms on 17 with them (docs/benchmarks.md); a JDK 25 cache must be trained with
   * them, or the start replays its training run's C2 compiles. What a service runs per request passes
   * 50,000 invocations within seconds of load and is compiled by C2 as before; until then it runs
   * C1's code.
   */
  private static final List<String> C2_LATER = List.of("-XX:Tier4InvocationThreshold=50000",
      "-XX:Tier4MinInvocationThreshold=6000", "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000");

  /**
   * JDK 25, measured and not recommended: the method profiles the AOT cache holds (JEP 515) are not
   * replayed as the service starts. With a cache trained under {@link #C2_LATER} that saves ~20 ms
   * (with one trained without, replaying its profiles cost ~80 ms); it is a diagnostic option of
   * JDK 25, which a later JDK may drop and then refuse to start with, so the recommended start does
   * without it (docs/benchmarks.md).
   */
  private static final List<String> NO_TRAINING_REPLAY = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");

  /**
   * The recommended start's JVM options on both JDKs, after the cache's own (docs/core.md); the
   * samples' manifests set them in {@code JAVA_TOOL_OPTIONS} ({@code RecommendedStartTest}).
   */
  static final List<String> RECOMMENDED = concat(List.of("-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC",
      TRIM_NATIVE_HEAP, "-XX:+ExitOnOutOfMemoryError", NATIVE_REFLECTION), C2_LATER);

  /** JDK 23+: Netty (gRPC's transport) uses {@code sun.misc.Unsafe} only when this allows it. */
  private static final String UNSAFE_ALLOWED = "--sun-misc-unsafe-memory-access=allow";

  /** When the idle RSS is read: once startup's JIT burst is over and the first native trim ran. */
  private static final int IDLE_SECONDS = 12;

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
    List<String> pave = List.of("-jar", jar.toString());
    Map<String, String> paveEnv = paveEnvironment(secrets);
    String paveReady = "lifecycle state READY";
    List<Integer> paveExit = List.of(0);
    // The small-container rows: each JDK's cache, the pod's limits, the Serial GC, 2 malloc arenas.
    List<String> pod25 = concat(concat(concat(common, "-XX:AOTCache=" + aot25), POD_LIMITS), SMALL_CONTAINER);
    List<String> pod17 = concat(concat(concat(common, "-XX:SharedArchiveFile=" + cds17), POD_LIMITS), SMALL_CONTAINER);
    Map<String, String> podEnv = merge(paveEnv, MALLOC_ARENAS);
    Config recommended17 = recommended("recommended start, JDK 17", java(jdk17),
        OUT.resolve("recommended-17.jsa").toAbsolutePath(), pave, podEnv);
    Config recommended25 = recommended("recommended start, JDK 25", java(jdk25),
        OUT.resolve("recommended-25.aot").toAbsolutePath(), pave, podEnv);
    // docs/core.md's runtime image (the JDK without jdk.localedata), each with its own cache: a
    // cache is only good for the runtime that recorded it.
    Config image17 = recommended("recommended start, JDK 17, runtime image", RuntimeImage.link(jdk17,
        OUT.resolve("runtime-17").toAbsolutePath()), OUT.resolve("image-17.jsa").toAbsolutePath(), pave, podEnv);
    Config image25 = recommended("recommended start, JDK 25, runtime image", RuntimeImage.link(jdk25,
        OUT.resolve("runtime-25").toAbsolutePath()), OUT.resolve("image-25.aot").toAbsolutePath(), pave, podEnv);
    List<Config> configs = new ArrayList<>(List.of(
        new Config("JDK 17", java(jdk17), List.of(), common, pave, paveReady, paveEnv, paveExit),
        new Config("JDK 17 + AppCDS", java(jdk17),
            concat(common, "-XX:ArchiveClassesAtExit=" + cds17),
            concat(common, "-XX:SharedArchiveFile=" + cds17), pave, paveReady, paveEnv, paveExit),
        new Config("JDK 25", java(jdk25), List.of(), common, pave, paveReady, paveEnv, paveExit),
        new Config("JDK 25 + AOT cache", java(jdk25),
            concat(common, "-XX:AOTCacheOutput=" + aot25),
            concat(common, "-XX:AOTCache=" + aot25), pave, paveReady, paveEnv, paveExit),
        // What the JVM picks by itself in a container of under 2 CPUs or 1792 MiB: Serial GC.
        new Config("JDK 25 + AOT cache + Serial GC", java(jdk25), List.of(),
            concat(concat(common, "-XX:AOTCache=" + aot25), "-XX:+UseSerialGC"), pave, paveReady, paveEnv,
            paveExit),
        // As deployed: the manifests' memory settings in their 256 MiB pod.
        new Config("JDK 25 + AOT cache, pod limits", java(jdk25), List.of(),
            concat(concat(common, "-XX:AOTCache=" + aot25), POD_LIMITS), pave, paveReady, paveEnv, paveExit),
        // ... and with the small-container tuning: the candidates for the recommended start command.
        new Config("JDK 25 + AOT cache, pod limits, Serial GC, 2 malloc arenas", java(jdk25), List.of(),
            pod25, pave, paveReady, podEnv, paveExit),
        new Config("JDK 17 + AppCDS, pod limits, Serial GC, 2 malloc arenas", java(jdk17), List.of(),
            pod17, pave, paveReady, podEnv, paveExit),
        // ... and reflection through native accessors: the recommended start on JDK 25.
        new Config("JDK 25 + AOT cache, pod limits, Serial GC, 2 malloc arenas, native reflection", java(jdk25),
            List.of(), concat(pod25, NATIVE_REFLECTION), pave, paveReady, podEnv, paveExit),
        // docs/core.md's commands as written, each with its own cache from a training run with the
        // same options (the cache records the classes and code paths those options lead to).
        recommended17, recommended25,
        // ... and on the runtime image: the recommended start as docs/core.md names it.
        image17, image25,
        // ... each without C2's thresholds, on the same cache: what they save; and JDK 25's with the
        // cache's profiles not replayed (a diagnostic option, not recommended).
        without(recommended17, "C2 at its default thresholds", C2_LATER),
        without(recommended25, "C2 at its default thresholds", C2_LATER),
        with(recommended25, "profiles not replayed", NO_TRAINING_REPLAY)));
    if (Boolean.parseBoolean(options.getOrDefault("c1-only", "false"))) {
      // The JIT held to C1 (no profiling, no C2): less compile work competing with startup on 2
      // cores, and a third less gRPC throughput afterwards (docs/benchmarks.md), so measured, not
      // recommended.
      configs.add(new Config("JDK 25 + AOT cache, pod limits, Serial GC, 2 malloc arenas, C1 only", java(jdk25),
          List.of(), concat(pod25, "-XX:TieredStopAtLevel=1"), pave, paveReady, podEnv, paveExit));
      configs.add(new Config("JDK 17 + AppCDS, pod limits, Serial GC, 2 malloc arenas, C1 only", java(jdk17),
          List.of(), concat(pod17, "-XX:TieredStopAtLevel=1"), pave, paveReady, podEnv, paveExit));
    }
    if (Boolean.parseBoolean(options.getOrDefault("anchors", "false"))) {
      configs.addAll(anchors(java(jdk25), common));
    }
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "startup of %s, %d rounds per configuration; load average: %s%n",
        jar, rounds, LoadRun.loadAverage());
    for (Config c : configs) {
      if (!c.trainFlags().isEmpty()) {
        long[] r = start(c, c.trainFlags(), 1); // the training run
        out.printf(Locale.ROOT, "trained %s (training run READY in %d ms)%n", c.name(), r[0]);
      }
    }
    if (rounds > 0) { // --rounds=0: only the idle RSS below
      Map<String, List<long[]>> results = interleaved(configs, rounds, 1);
      out.println();
      out.println("| configuration | time to READY, median (range) | RSS 1 s after READY, median (range) |");
      out.println("|---|---|---|");
      results.forEach((name, starts) -> out.printf(Locale.ROOT, "| %s | %s | %s |%n", name,
          summary(starts, 0, 1, "ms"), summary(starts, 1, 1024, "MiB")));
      out.printf(Locale.ROOT, "load average: %s%n", LoadRun.loadAverage());
    }

    // The idle RSS of the recommended starts, with and without the native heap trim: each start
    // is read 1 s and IDLE_SECONDS after READY, so these take longer and run fewer rounds.
    int idleRounds = Integer.parseInt(options.getOrDefault("idle-rounds", "5"));
    List<Config> idle = new ArrayList<>();
    for (Config c : List.of(recommended17, recommended25)) {
      idle.add(c);
      idle.add(without(c, "without the native heap trim", List.of(TRIM_NATIVE_HEAP)));
    }
    idle.addAll(List.of(image17, image25));
    Map<String, List<long[]>> idleResults = interleaved(idle, idleRounds, 1, IDLE_SECONDS);
    out.println();
    out.printf(Locale.ROOT, "| configuration (%d starts each) | time to READY | RSS 1 s after READY | idle RSS, %d s after READY |%n",
        idleRounds, IDLE_SECONDS);
    out.println("|---|---|---|---|");
    idleResults.forEach((name, starts) -> out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", name,
        summary(starts, 0, 1, "ms"), summary(starts, 1, 1024, "MiB"), summary(starts, 2, 1024, "MiB")));
    out.printf(Locale.ROOT, "load average at end: %s%n", LoadRun.loadAverage());
  }

  /**
   * docs/core.md's recommended start on {@code java}'s JDK as written: its cache (AppCDS on 17, the
   * AOT cache on 25+), trained by a run with the same options; the pod's limit as the cgroup gives it.
   */
  private static Config recommended(String name, Path java, Path cache, List<String> target, Map<String, String> env) {
    boolean aot = cache.toString().endsWith(".aot");
    List<String> options = concat(recommendedOptions(aot), POD_MEMORY_LIMIT); // the limit, as the cgroup gives it
    return new Config(name, java,
        // The training run is stopped by SIGTERM 1 s after READY, like the other rows' (the docs'
        // -Dlifecycle.exit-when-ready=true stops it at READY: the same classes, one second sooner).
        concat(List.of((aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + cache), options),
        concat(List.of((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cache), options),
        target, "lifecycle state READY", env, List.of(0));
  }

  /**
   * docs/core.md's recommended JVM options after the cache's own option: AppCDS's ({@code aotCache}
   * false, JDK 17) or the AOT cache's (JDK 25). {@code RecommendedStartTest} starts the service
   * with the same list, so what is measured here is what CI proves starts.
   */
  static List<String> recommendedOptions(boolean aotCache) {
    List<String> cacheFlags = aotCache
        ? List.of("-Xlog:aot=off", "-Xlog:cds=off", UNSAFE_ALLOWED)
        : List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    return concat(cacheFlags, RECOMMENDED);
  }

  /** Starts each configuration {@code rounds} times, interleaved in a rotating order. */
  private static Map<String, List<long[]>> interleaved(List<Config> configs, int rounds, int... rssAtSeconds)
      throws IOException, InterruptedException {
    Map<String, List<long[]>> results = new LinkedHashMap<>();
    configs.forEach(c -> results.put(c.name(), new ArrayList<>()));
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < configs.size(); k++) {
        Config c = configs.get((k + round) % configs.size());
        results.get(c.name()).add(start(c, c.runFlags(), rssAtSeconds));
      }
    }
    return results;
  }

  /** "median unit (min-max)" of column {@code index} of {@code starts}, each value divided by {@code scale}. */
  private static String summary(List<long[]> starts, int index, double scale, String unit) {
    long[] v = starts.stream().mapToLong(r -> r[index]).sorted().toArray();
    return String.format(Locale.ROOT, "%.0f %s (%.0f-%.0f)", v[v.length / 2] / scale, unit, v[0] / scale,
        v[v.length - 1] / scale);
  }

  /** The payments sample as a Deployment configures it: environment only, ports from the kernel, loopback. */
  private static Map<String, String> paveEnvironment(Path secrets) {
    return Map.of("GRPC_PORT", "0", "GRPC_SERVER_HOST", "127.0.0.1", "ADMIN_PORT", "0", "ADMIN_HOST", "127.0.0.1",
        "LIFECYCLE_DRAIN_DELAY", "0s", "SECRETS_DIR", secrets.toAbsolutePath().toString());
  }

  /**
   * The frameworks' own hello-worlds (benchmarks/anchors, built here with Maven), each on JDK 25 with
   * its own AOT cache and the pod's memory limits: the best configuration of each, as for Pave.
   * Their READY is their own startup line; a SIGTERM ends them with 143 (the JVM's exit on a
   * signal), Pave with 0.
   */
  private static List<Config> anchors(Path java25, List<String> common) throws IOException, InterruptedException {
    Path anchors = Path.of("benchmarks", "anchors");
    for (String project : List.of("spring-boot-hello", "quarkus-hello")) {
      Process build = new ProcessBuilder("mvn", "-B", "-q", "-DskipTests", "-f",
          anchors.resolve(project).resolve("pom.xml").toString(), "package").inheritIO().start();
      if (build.waitFor() != 0) {
        throw new IllegalStateException("building " + project + " failed");
      }
    }
    // Spring Boot's AOT cache needs the extracted layout (docs.spring.io, "AOT Cache").
    Path extracted = anchors.resolve("spring-boot-hello/target/extracted");
    Process extract = new ProcessBuilder(java25.toString(), "-Djarmode=tools", "-jar",
        anchors.resolve("spring-boot-hello/target/spring-boot-hello.jar").toString(), "extract", "--force",
        "--destination", extracted.toString()).inheritIO().start();
    if (extract.waitFor() != 0) {
      throw new IllegalStateException("extracting spring-boot-hello.jar failed");
    }
    Path springAot = OUT.resolve("spring-25.aot").toAbsolutePath();
    Path quarkusAot = OUT.resolve("quarkus-25.aot").toAbsolutePath();
    Files.deleteIfExists(springAot);
    Files.deleteIfExists(quarkusAot);
    List<Integer> signalled = List.of(0, 143);
    List<Config> best = List.of(
        new Config("Spring Boot 3.5.7 hello, JDK 25 + AOT cache, pod limits, Serial GC, 2 malloc arenas", java25,
            concat(common, "-XX:AOTCacheOutput=" + springAot),
            concat(concat(concat(common, "-XX:AOTCache=" + springAot), POD_LIMITS), SMALL_CONTAINER),
            List.of("-jar", extracted.resolve("spring-boot-hello.jar").toString()),
            "Started HelloApplication in",
            merge(Map.of("SERVER_PORT", "0", "SERVER_ADDRESS", "127.0.0.1"), MALLOC_ARENAS), signalled),
        new Config("Quarkus 3.33.2 hello, JDK 25 + AOT cache, pod limits, Serial GC, 2 malloc arenas", java25,
            concat(common, "-XX:AOTCacheOutput=" + quarkusAot),
            concat(concat(concat(common, "-XX:AOTCache=" + quarkusAot), POD_LIMITS), SMALL_CONTAINER),
            List.of("-jar", anchors.resolve("quarkus-hello/target/quarkus-app/quarkus-run.jar").toString()),
            " started in ", merge(Map.of("QUARKUS_HTTP_PORT", "0", "QUARKUS_HTTP_HOST", "127.0.0.1"), MALLOC_ARENAS),
            signalled));
    // Each again with Pave's other options, so that the comparison with Pave's recommended row is
    // like for like (native reflection and C2's thresholds save the frameworks' startup too).
    List<Config> all = new ArrayList<>(best);
    for (Config c : best) {
      all.add(with(c, "native reflection", List.of(NATIVE_REFLECTION)));
    }
    for (Config c : best) {
      all.add(with(c, "native reflection, C2's thresholds", concat(List.of(NATIVE_REFLECTION), C2_LATER)));
    }
    return all;
  }

  /** {@code c} started with {@code flags} added (on its cache: no training run of its own). */
  private static Config with(Config c, String what, List<String> flags) {
    return new Config(c.name() + ", " + what, c.java(), List.of(), concat(c.runFlags(), flags), c.target(),
        c.readyMarker(), c.env(), c.exitCodes());
  }

  /** {@code c} started without {@code flags} (on its cache: no training run of its own). */
  private static Config without(Config c, String what, List<String> flags) {
    return new Config(c.name() + ", " + what, c.java(), List.of(),
        c.runFlags().stream().filter(f -> !flags.contains(f)).toList(), c.target(), c.readyMarker(), c.env(),
        c.exitCodes());
  }

  /**
   * Starts a configuration, returns {ms to READY, RSS in KiB at each of {@code rssAtSeconds} after
   * READY}; stops it with SIGTERM.
   */
  private static long[] start(Config config, List<String> flags, int... rssAtSeconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(config.java().toString()));
    command.addAll(flags);
    command.addAll(config.target());
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(OUT.resolve("last.stderr").toFile());
    builder.environment().putAll(config.env());
    long started = System.nanoTime();
    Process process = builder.start();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      long readyMillis = -1;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.contains(config.readyMarker())) {
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
      long[] result = new long[1 + rssAtSeconds.length];
      result[0] = readyMillis;
      long readyAt = System.nanoTime();
      for (int i = 0; i < rssAtSeconds.length; i++) {
        // The points of measurement are the definition (seconds after READY), not a wait for something.
        long left = TimeUnit.SECONDS.toNanos(rssAtSeconds[i]) - (System.nanoTime() - readyAt);
        if (process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
          throw new IllegalStateException("exited " + process.exitValue() + " before its RSS was read");
        }
        result[1 + i] = LoadRun.rssKib(process.pid());
      }
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("no exit 60 s after SIGTERM");
      }
      drain.join();
      if (!config.exitCodes().contains(process.exitValue())) {
        throw new IllegalStateException("exit " + process.exitValue() + " after SIGTERM");
      }
      return result;
    }
  }


  private static Path java(Path jdk) {
    Path java = jdk.resolve("bin").resolve("java");
    if (!Files.isExecutable(java)) {
      throw new IllegalArgumentException("no java at " + java + " (set --jdk17 / --jdk25)");
    }
    return java;
  }

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> all = new LinkedHashMap<>(a);
    all.putAll(b);
    return all;
  }

  private static List<String> concat(List<String> list, String more) {
    return concat(list, List.of(more));
  }

  private static List<String> concat(List<String> list, List<String> more) {
    List<String> all = new ArrayList<>(list);
    all.addAll(more);
    return all;
  }

  private StartupAcrossJdks() {}
}
