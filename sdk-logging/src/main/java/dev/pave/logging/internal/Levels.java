package dev.pave.logging.internal;

import ch.qos.logback.classic.Level;
import java.util.Locale;

/** Strict level parsing: Logback's {@code Level.toLevel} silently turns a typo into DEBUG. */
public final class Levels {

  /** The accepted level names. */
  public static final String ACCEPTED = String.join(", ", dev.pave.logging.PaveLogging.LEVELS);

  private Levels() {}

  /**
   * Parses {@code level} (any case) for {@code logger}.
   *
   * @throws IllegalArgumentException naming the logger and the accepted levels
   */
  public static Level parse(String logger, String level) {
    if (level != null) {
      switch (level.trim().toUpperCase(Locale.ROOT)) {
        case "TRACE": return Level.TRACE;
        case "DEBUG": return Level.DEBUG;
        case "INFO": return Level.INFO;
        case "WARN": return Level.WARN;
        case "ERROR": return Level.ERROR;
        case "OFF": return Level.OFF;
        default: break;
      }
    }
    throw new IllegalArgumentException(
        "unknown level '" + level + "' for logger '" + logger + "': expected one of " + ACCEPTED);
  }
}
