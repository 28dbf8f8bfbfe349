package dev.pave.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures every log event of the process (all levels) while open. */
final class LogCapture implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level previous;

  LogCapture() {
    appender.start();
    root.addAppender(appender);
    previous = root.getLevel();
    root.setLevel(Level.TRACE);
  }

  /** Each event as "LEVEL logger message" plus its stack trace, if any. */
  List<String> lines() {
    var out = new ArrayList<String>();
    synchronized (appender.list) {
      for (ILoggingEvent event : new ArrayList<>(appender.list)) {
        String line = event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage();
        if (event.getThrowableProxy() != null) {
          line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
        }
        out.add(line);
      }
    }
    return out;
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(previous);
  }
}
