package dev.pave.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;

/**
 * Renders an event's stack trace: root cause first, runs of reflection frames collapsed into
 * "... n frames excluded", redacted, then capped at a maximum length. Built on
 * logstash-logback-encoder's {@link ShortenedThrowableConverter}.
 *
 * <p>Redaction runs before the cap, on text rendered a little past it: cutting first left a card
 * number's first 15 digits at the end of {@code exception.stacktrace}, where no rule could
 * recognise it (security report D7). Any secret shorter than {@value #REDACTION_MARGIN}
 * characters that crosses the cap is therefore redacted whole before it is cut.
 */
final class ExceptionRenderer {

  /** Frames that say nothing about the code: reflection and method-handle plumbing. */
  static final String[] COLLAPSED_FRAMES = {
    "^java\\.lang\\.reflect\\.", "^jdk\\.internal\\.reflect\\.", "^sun\\.reflect\\.",
    "^java\\.lang\\.invoke\\."
  };

  /** Characters rendered past the cap, so that redaction sees whole what the cap cuts. */
  static final int REDACTION_MARGIN = 256;

  private final ShortenedThrowableConverter converter = new ShortenedThrowableConverter();
  private final int maxLength;

  ExceptionRenderer(Context context, int maxLength) {
    this.maxLength = maxLength;
    converter.setContext(context);
    converter.setRootCauseFirst(true);
    converter.setMaxLength(maxLength + REDACTION_MARGIN);
    converter.setLineSeparator("UNIX");
    for (String pattern : COLLAPSED_FRAMES) {
      converter.addExclude(pattern);
    }
    converter.start();
  }

  /**
   * The rendered stack trace, redacted, then cut so that with its marker ({@code "... (cut at N
   * characters)"}) it is at most the cap; the empty string when the event carries no throwable.
   */
  String stackTrace(ILoggingEvent event, Redactor redactor) {
    return TextLimit.cutWithin(redactor.redact(converter.convert(event)), maxLength);
  }

  void stop() {
    converter.stop();
  }
}
