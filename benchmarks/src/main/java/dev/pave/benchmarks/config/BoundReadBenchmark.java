package dev.pave.benchmarks.config;

import dev.pave.config.Config;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The hot path: reading a value from a record bound by {@link Config#bind} against the peer, a
 * field of a hand-written final class holding the same value. They should be equal: a bound
 * record is a plain object. {@link #configGet()} shows what a per-call lookup would cost instead.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'config.BoundReadBenchmark' -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class BoundReadBenchmark {

  /** Bound from {@code payments.*}. */
  public record Payments(Duration acquirerTimeout, int maxRetries) {}

  /** The peer: a hand-written holder. */
  public static final class HandWritten {
    final Duration acquirerTimeout;

    HandWritten(Duration acquirerTimeout) {
      this.acquirerTimeout = acquirerTimeout;
    }
  }

  private Config config;
  private Payments bound;
  private HandWritten handWritten;

  @Setup(Level.Trial)
  public void bind() {
    config = Config.builder()
        .defaultValue("payments.acquirer-timeout", "250ms")
        .defaultValue("payments.max-retries", "3")
        .build();
    bound = config.bind("payments", Payments.class);
    handWritten = new HandWritten(bound.acquirerTimeout());
  }

  @Benchmark
  public Duration boundRecordRead() {
    return bound.acquirerTimeout();
  }

  @Benchmark
  public Duration plainFieldPeer() {
    return handWritten.acquirerTimeout;
  }

  @Benchmark
  public Duration configGet() {
    return config.get("payments.acquirer-timeout", Duration.class);
  }
}
