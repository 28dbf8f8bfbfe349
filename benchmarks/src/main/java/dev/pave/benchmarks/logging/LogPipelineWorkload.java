package dev.pave.benchmarks.logging;

import ch.qos.logback.classic.LoggerContext;
import dev.pave.logging.PaveLogging;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * The child process of {@link LogPipelineBenchmark}: logs through SLF4J to stdout (a pipe) with
 * whatever Logback configuration the process has (Pave's zero-config pipeline, or a {@code
 * logback.xml} given by {@code -Dlogback.configurationFile}), waits until every accepted line is
 * written, and reports on stderr: {@code RESULT <nanos from first log call to drained> <dropped>}.
 *
 * <p>{@code sustained <lines> <threads> <level>}: each thread logs {@code lines / threads} events (message
 * with 2 arguments, 3 MDC entries, 3 key-values) in a tight loop. {@code burst <lines> 1 <level>}: one 1
 * MB message, then {@code lines} events in a tight loop on one thread.
 */
public final class LogPipelineWorkload {
  private LogPipelineWorkload() {}

  static final String MARKER = "bench event";

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int lines = Integer.parseInt(args[1]);
    int threads = kind.equals("burst") ? 1 : Integer.parseInt(args[2]);
    Level level = Level.valueOf(args[args.length - 1]);
    Logger log = LoggerFactory.getLogger("dev.pave.bench.Orders"); // initialises Logback
    boolean pave = PaveLogging.settings().isPresent();
    CountDownLatch go = new CountDownLatch(1);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int share = lines / threads;
      workers[t] = new Thread(() -> {
        MDC.put("request.id", "req-5f2c9a");
        MDC.put("tenant", "acme");
        MDC.put("http.route", "/v1/payments/{id}");
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < share; i++) {
          log.atLevel(level)
              .setMessage(MARKER + " {} for order {}")
              .addArgument(i)
              .addArgument("ord-81723")
              .addKeyValue("order.id", "ord-81723")
              .addKeyValue("amount.cents", 129_900)
              .addKeyValue("attempt", 1)
              .log();
        }
      }, "app-" + t);
      workers[t].start();
    }
    long start = System.nanoTime();
    if (kind.equals("burst")) {
      log.info("large payload {}", "x".repeat(1 << 20));
    }
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    long dropped;
    if (pave) {
      if (!PaveLogging.flush(Duration.ofSeconds(120))) {
        throw new IllegalStateException("Pave's queue not drained in 120 s");
      }
      dropped = PaveLogging.droppedEvents();
    } else {
      // Logback's AsyncAppender drains on stop (maxFlushTime in the benchmark's logback.xml).
      ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
      dropped = -1; // not counted by Logback; the driver counts the lines written
    }
    long nanos = System.nanoTime() - start;
    System.out.flush();
    System.err.println("RESULT " + nanos + " " + dropped);
    if (pave) {
      PaveLogging.shutdown(Duration.ofSeconds(10));
    }
  }
}
