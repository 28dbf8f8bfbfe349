package dev.pave.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pave.logging.LoggingSettings;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pave's appender in a private Logback context, writing to a stream the test controls. */
class PaveAppenderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LoggerContext context = new LoggerContext();
  private final GatedStream out = new GatedStream();
  private final LongAdder dropped = new LongAdder();
  private final Logger log = context.getLogger("test");
  private PaveAppender appender;

  @AfterEach
  void stop() {
    out.open();
    context.stop();
  }

  private void start(LoggingSettings settings) {
    context.setMDCAdapter(new LogbackMDCAdapter());
    appender = new PaveAppender(out, dropped);
    appender.setContext(context);
    appender.initialSettings(settings);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
  }

  private static LoggingSettings.Builder json() {
    return LoggingSettings.builder().format(LoggingSettings.Format.JSON);
  }

  @Test
  void aBurstIsWrittenInBatches_inOrder_andFlushMeansWritten() {
    start(json().queueSize(4096).build());
    out.open();
    int events = 2000;
    for (int i = 0; i < events; i++) {
      log.info("burst {}", i);
    }
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();

    // Everything accepted is on the output once flush returns, complete and in order...
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      expected.add("burst " + i);
    }
    assertThat(messages()).containsExactlyElementsOf(expected);
    // ...in far fewer writes than lines: the worker writes a batch when the queue runs empty, then
    // lingers so the next batch can gather (unbatched, this was one write per line).
    assertThat(out.writes.sum()).isLessThan(events / 2);
  }

  @Test
  void aLoneEventIsWrittenWithoutWaitingForMore() {
    start(json().build());
    out.open();
    log.warn("alone");
    // No flush call: the batch is written as soon as the queue is empty, not when it fills.
    await().atMost(Duration.ofSeconds(10)).until(() -> out.text().contains("\"message\":\"alone\""));
  }

  @Test
  void fullQueue_dropsAndCountsInfo_butWarnWaitsForRoom() throws Exception {
    start(json().queueSize(4).warnWait(Duration.ofMinutes(1)).build());
    log.info("taken by the worker, which then blocks on the closed output");
    out.awaitWriterBlocked();
    for (int i = 0; i < 4; i++) {
      log.info("queued {}", i);
    }
    for (int i = 0; i < 10; i++) {
      log.info("dropped {}", i);
    }
    assertThat(dropped.sum()).isEqualTo(10);

    Thread warner = new Thread(() -> log.warn("must not be dropped"));
    warner.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> warner.getState() == Thread.State.TIMED_WAITING);

    out.open();
    warner.join(10_000);
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(messages()).containsExactly(
        "taken by the worker, which then blocks on the closed output",
        "queued 0", "queued 1", "queued 2", "queued 3", "must not be dropped");
    assertThat(dropped.sum()).isEqualTo(10);
  }

  @Test
  void fullQueue_aWarningWaitsAtMostWarnWait_thenIsDroppedAndCounted() throws Exception {
    // Security report D5: an output that never drains must not park the warning's thread.
    start(json().queueSize(4).warnWait(Duration.ofMillis(200)).build());
    log.info("taken by the worker, which then blocks on the closed output");
    out.awaitWriterBlocked();
    for (int i = 0; i < 4; i++) {
      log.info("queued {}", i);
    }

    log.warn("no room within 200 ms: dropped"); // returns: the test would hang here otherwise
    log.error("dropped too");
    assertThat(dropped.sum()).isEqualTo(2);

    out.open();
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(messages()).doesNotContain("no room within 200 ms: dropped", "dropped too").hasSize(5);
    log.warn("room again");
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(messages()).contains("room again");
  }

  @Test
  void largeMessagesAreBoundedByTheirSize_notOnlyByTheSlotCount() throws Exception {
    start(json().build()); // the default queue: 32,768 slots
    log.info("first"); // the worker takes it and blocks on the closed output
    out.awaitWriterBlocked();
    String oneMiB = "x".repeat(1024 * 1024);
    for (int i = 0; i < 40; i++) {
      log.info("large {} {}", i, oneMiB);
    }
    // 40 MiB of messages against a 16 Mi-character bound: the queue stopped taking INFO at about
    // 16 of them, although nearly every slot was free.
    long bound = AsyncPipeline.MAX_QUEUED_CHARS / (1024 * 1024);
    assertThat(dropped.sum()).isBetween(40 - bound - 2, 40 - bound + 1);
    log.warn("warn is never dropped");
    out.open();
    assertThat(appender.flush(Duration.ofSeconds(30))).isTrue();
    assertThat(messages()).contains("warn is never dropped").hasSize((int) (42 - dropped.sum()));
    // Once written, the space is free again.
    log.info("after {}", oneMiB);
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(dropped.sum()).isLessThanOrEqualTo(40 - bound + 1);
    assertThat(messages()).hasSize((int) (43 - dropped.sum()));
  }

  @Test
  void theDefaultQueueAbsorbsABurstAfterALargeMessage_withNothingDropped() throws Exception {
    start(json().build());
    log.info("first");
    out.awaitWriterBlocked(); // the output is stalled for the whole burst: the worst case
    log.info("large {}", "x".repeat(1024 * 1024));
    for (int i = 0; i < 20_000; i++) {
      log.info("burst {}", i);
    }
    assertThat(dropped.sum()).isZero();
    out.open();
    assertThat(appender.flush(Duration.ofSeconds(60))).isTrue();
    assertThat(messages()).hasSize(20_002);
  }

  @Test
  void flush_waitsForTheOutput_andReportsATimeout() {
    start(json().build());
    log.info("one");
    assertThat(appender.flush(Duration.ofMillis(200))).isFalse(); // output still closed
    out.open();
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(messages()).containsExactly("one");
  }

  @Test
  void reconfiguringWhileOtherThreadsLog_losesAndDuplicatesNothing() throws Exception {
    out.open();
    start(json().serviceName("before").build());
    int threads = 4;
    int perThread = 5_000;
    List<Thread> loggers = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      int offset = t * perThread;
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perThread; i++) {
          log.atWarn().addKeyValue("seq", offset + i).log("e"); // WARN: never dropped
        }
      });
      thread.start();
      loggers.add(thread);
    }
    go.countDown();
    for (int generation = 0; generation < 5; generation++) {
      appender.apply(json().serviceName("generation-" + generation).queueSize(64 << generation).build());
    }
    for (Thread thread : loggers) {
      thread.join(30_000);
    }
    // The loggers may finish before the last swap (a loaded machine): one event logged after
    // every swap shows which settings are in effect.
    log.atWarn().addKeyValue("seq", -1).log("after the last swap");
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();

    Set<Long> seen = new HashSet<>();
    List<JsonNode> lines = lines();
    for (JsonNode line : lines) {
      seen.add(line.get("seq").asLong());
    }
    assertThat(lines).hasSize(threads * perThread + 1);
    assertThat(seen).hasSize(threads * perThread + 1);
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.get("seq").asLong()).isEqualTo(-1);
    assertThat(last.get("service.name").asText()).isEqualTo("generation-4");
  }

  @Test
  void stackTraces_collapseReflectionFrames_andAreCapped() throws Exception {
    out.open();
    start(json().maxStackTraceLength(600).build());
    // The thrown exception sits two frames above the reflection plumbing: the converter always
    // keeps a throwable's top two frames (where it was thrown), so what is collapsed is the run of
    // reflection frames below them. Their number differs by JDK (four on 17, two on 25).
    Method thrower = PaveAppenderTest.class.getDeclaredMethod("thrower");
    try {
      thrower.invoke(null);
    } catch (java.lang.reflect.InvocationTargetException e) {
      log.error("reflective call failed", e.getCause());
    }
    appender.flush(Duration.ofSeconds(10));
    String stack = lines().get(0).get("exception.stacktrace").asText();
    assertThat(stack).startsWith("java.lang.IllegalArgumentException: deep inside");
    // Runs of reflection frames collapse into one "... n frames excluded" line.
    assertThat(stack).contains("frames excluded");
    assertThat(stack).doesNotContain("java.lang.reflect.Method.invoke(");
    assertThat(stack.length()).isLessThanOrEqualTo(600);
  }

  static void thrower() {
    throwDeepInside();
  }

  private static void throwDeepInside() {
    throw new IllegalArgumentException("deep inside");
  }

  private List<JsonNode> lines() {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.text().split("\n")) {
      if (!line.isEmpty()) {
        try {
          nodes.add(JSON.readTree(line));
        } catch (Exception e) {
          throw new AssertionError("not JSON: " + line, e);
        }
      }
    }
    return nodes;
  }

  private List<String> messages() {
    return lines().stream().map(line -> line.get("message").asText()).toList();
  }

  @Test
  void aFailedWrite_countsItsLines_keepsGoing_andNeverJoinsACutLineToTheNext() throws Exception {
    // Security report D11: on a full disk lines were lost uncounted, and one half-written line was
    // joined to the next; on /dev/full Logback's appender stopped for good at the first failure.
    var disk = new ByteArrayOutputStream();
    OutputStream output = new OutputStream() {
      private boolean failed;

      @Override
      public void write(int b) throws java.io.IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public synchronized void write(byte[] bytes, int offset, int length) throws java.io.IOException {
        if (!failed) {
          failed = true;
          disk.write(bytes, offset, length / 2); // half of it reached the disk, then it was full
          throw new java.io.IOException("No space left on device");
        }
        disk.write(bytes, offset, length);
      }
    };
    LoggerContext ownContext = new LoggerContext();
    ownContext.setMDCAdapter(new LogbackMDCAdapter());
    LongAdder lost = new LongAdder();
    PaveAppender failing = new PaveAppender(output, lost);
    failing.setContext(ownContext);
    failing.initialSettings(json().build());
    failing.start();
    Logger logger = ownContext.getLogger("test");
    logger.addAppender(failing);
    try {
      logger.info("a line that is cut in half by the full disk");
      assertThat(failing.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(lost.sum()).as("the failed batch's line, counted").isEqualTo(1);

      logger.info("after the disk was freed");
      logger.warn("and another");
      assertThat(failing.flush(Duration.ofSeconds(10))).isTrue();
      String[] lines = disk.toString(StandardCharsets.UTF_8).split("\n", -1);
      // the cut line alone, then two whole JSON lines, each on its own line
      assertThat(lines).hasSize(4);
      assertThat(lines[0]).startsWith("{").doesNotContain("after the disk was freed");
      assertThat(JSON.readTree(lines[1]).get("message").asText()).isEqualTo("after the disk was freed");
      assertThat(JSON.readTree(lines[2]).get("message").asText()).isEqualTo("and another");
      assertThat(lines[3]).isEmpty();
      assertThat(lost.sum()).isEqualTo(1);
    } finally {
      ownContext.stop();
    }
  }

  /** An output that blocks writers until opened, like a stalled stdout pipe. */
  static final class GatedStream extends OutputStream {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CountDownLatch open = new CountDownLatch(1);
    private final CountDownLatch writerBlocked = new CountDownLatch(1);
    final LongAdder writes = new LongAdder();

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      writes.increment();
      writerBlocked.countDown();
      try {
        open.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (buffer) {
        buffer.write(bytes, offset, length);
      }
    }

    void open() {
      open.countDown();
    }

    void awaitWriterBlocked() throws InterruptedException {
      assertThat(writerBlocked.await(10, TimeUnit.SECONDS)).as("the worker reached the output").isTrue();
    }

    String text() {
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
