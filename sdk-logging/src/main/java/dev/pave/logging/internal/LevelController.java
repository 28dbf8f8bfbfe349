package dev.pave.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runtime level changes, optionally reverted after a time-to-live.
 *
 * <p>A change with a TTL remembers the level the logger had before the first such change; further
 * changes (with or without TTL) before it expires keep that original. A change without TTL makes
 * the new level permanent and cancels the pending revert.
 */
final class LevelController {

  private record Pending(Level original, ScheduledFuture<?> revert) {}

  private final Map<String, Pending> pending = new HashMap<>();
  private ScheduledThreadPoolExecutor scheduler;

  /**
   * Sets {@code name}'s level ({@code null}: inherit; for the root logger, {@code rootDefault}),
   * reverting after {@code ttl} when it is not null.
   */
  synchronized void set(LoggerContext context, String name, Level level, Duration ttl, Level rootDefault) {
    Logger logger = context.getLogger(name);
    boolean root = Logger.ROOT_LOGGER_NAME.equalsIgnoreCase(logger.getName());
    Pending previous = pending.remove(logger.getName());
    if (previous != null) {
      previous.revert.cancel(false);
    }
    Level target = level == null && root ? rootDefault : level;
    Level original = previous != null ? previous.original : logger.getLevel();
    logger.setLevel(target);
    if (ttl != null) {
      String key = logger.getName();
      Pending[] self = new Pending[1];
      ScheduledFuture<?> revert = scheduler().schedule(() -> revert(logger, key, self), ttl.toNanos(), TimeUnit.NANOSECONDS);
      self[0] = new Pending(original, revert);
      pending.put(key, self[0]);
    }
  }

  private synchronized void revert(Logger logger, String key, Pending[] self) {
    // self[0] is assigned under this lock, so it is set by the time the task gets the lock.
    Pending expected = self[0];
    if (expected != null && pending.get(key) == expected) {
      pending.remove(key);
      logger.setLevel(expected.original);
    }
  }

  /** Cancels every pending revert (the levels stay as they are). */
  synchronized void cancelAll() {
    pending.values().forEach(p -> p.revert.cancel(false));
    pending.clear();
  }

  synchronized void shutdown() {
    cancelAll();
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  private ScheduledThreadPoolExecutor scheduler() {
    if (scheduler == null) {
      // One thread, made here: Pave's thread factory is Micrometer's NamedThreadFactory (sdk-core,
      // sdk-grpc), and sdk-logging does not depend on Micrometer for one daemon thread.
      scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "pave-logging-level-ttl");
        thread.setDaemon(true);
        return thread;
      });
      scheduler.setRemoveOnCancelPolicy(true);
    }
    return scheduler;
  }
}
