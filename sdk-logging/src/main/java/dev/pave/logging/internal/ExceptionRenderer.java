package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;

/**
 * Renders an event's stack trace: root cause first, runs of reflection frames collapsed into
 * "... n frames excluded", capped at a maximum length. Built on logstash-logback-encoder's
 * {@link ShortenedThrowableConverter}.
 */
final class ExceptionRenderer {

  /** Frames that say nothing about the code: reflection and method-handle plumbing. */
  static final String[] COLLAPSED_FRAMES = {
    "^java\\.lang\\.reflect\\.", "^jdk\\.internal\\.reflect\\.", "^sun\\.reflect\\.",
    "^java\\.lang\\.invoke\\."
  };

  private final ShortenedThrowableConverter converter = new ShortenedThrowableConverter();

  ExceptionRenderer(Context context, int maxLength) {
    converter.setContext(context);
    converter.setRootCauseFirst(true);
    converter.setMaxLength(maxLength);
    converter.setLineSeparator("UNIX");
    for (String pattern : COLLAPSED_FRAMES) {
      converter.addExclude(pattern);
    }
    converter.start();
  }

  /** The rendered stack trace, or the empty string when the event carries no throwable. */
  String stackTrace(ILoggingEvent event) {
    return converter.convert(event);
  }

  void stop() {
    converter.stop();
  }
}
