package dev.pave.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.config.Config;
import dev.pave.core.LifecycleComponent;
import dev.pave.core.Pave;
import dev.pave.core.PaveStartupException;
import dev.pave.core.RunningService;
import dev.pave.logging.LogCapture;
import dev.pave.logging.PaveLogging;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One undo order (design review A1): the shutdown order is what startup pushed, unwound, and a
 * failed startup unwinds the same stack, so it undoes exactly what was done, in the same order.
 */
class UndoOrderTest {

  private static final Pattern STEP = Pattern.compile("shutdown step: ([A-Za-z ]+)");

  private static Config config() {
    return Config.builder()
        .override("admin.host", "127.0.0.1")
        .override("admin.port", "0")
        .override("lifecycle.drain-delay", "0ms")
        .override("lifecycle.drain-delay-on-signal", "0ms")
        .override("logging.level.dev.pave.core.internal.ServiceRuntime", "DEBUG")
        .build();
  }

  private static List<String> steps(LogCapture capture) {
    List<String> steps = new ArrayList<>();
    for (String line : capture.lines()) {
      Matcher m = STEP.matcher(line);
      if (m.find()) {
        steps.add(m.group(1));
      }
    }
    return steps;
  }

  private static LifecycleComponent component(List<String> events) {
    return new LifecycleComponent() {
      @Override
      public String name() {
        return "recorder";
      }

      @Override
      public void start() {
        events.add("start");
      }

      @Override
      public void stop(Duration timeout) {
        events.add("stop");
      }
    };
  }

  @Test
  void theShutdownOrderIsTheStartupOrderUnwound() {
    List<String> events = new ArrayList<>();
    try (LogCapture capture = PaveLogging.capture()) {
      RunningService service = Pave.service("undo-order").config(config()).start(svc -> {
        svc.register(component(events));
        svc.executor("work", 1);
      });
      service.stop();

      assertThat(steps(capture)).containsExactly(
          "components", "executors", "health checks", "telemetry", "STOPPED", "admin server", "metrics");
    }
    assertThat(events).containsExactly("start", "stop");
  }

  @Test
  void aFailedStartup_undoesWhatWasDone_inTheSameOrder() {
    List<String> events = new ArrayList<>();
    try (LogCapture capture = PaveLogging.capture()) {
      assertThatThrownBy(() -> Pave.service("undo-failed").config(config()).start(svc -> {
        svc.executor("work", 1);
        throw new IllegalStateException("setup failed on purpose");
      })).isInstanceOf(PaveStartupException.class).hasMessageContaining("setup failed on purpose");

      // The same stack as a shutdown, less what never happened (no component started).
      assertThat(steps(capture)).containsExactly(
          "executors", "health checks", "telemetry", "STOPPED", "admin server", "metrics");
    }
    assertThat(events).isEmpty();
  }

  @Test
  void anUndoThatFails_isLogged_andTheRestStillRun() {
    UndoStack stack = new UndoStack();
    List<String> ran = new ArrayList<>();
    stack.push("first", () -> ran.add("first"));
    stack.push("broken", () -> {
      throw new IllegalStateException("broken undo");
    });
    stack.push("last", () -> ran.add("last"));

    assertThat(stack.names()).containsExactly("last", "broken", "first");
    assertThat(stack.unwind(LoggerFactory.getLogger(UndoOrderTest.class))).containsExactly("last", "broken", "first");
    assertThat(ran).containsExactly("last", "first");
    assertThat(stack.names()).isEmpty();
    assertThat(stack.unwind(LoggerFactory.getLogger(UndoOrderTest.class))).isEmpty(); // each runs once
  }
}
