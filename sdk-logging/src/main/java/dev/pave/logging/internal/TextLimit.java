package dev.pave.logging.internal;

/** Cuts text to a length, after redaction, saying how much was cut. */
final class TextLimit {

  private TextLimit() {}

  /**
   * {@code text} when at most {@code max} characters, else its first {@code max} characters
   * (never half a surrogate pair) and {@code "... (N characters cut)"}. Applied to text already
   * redacted, so a cut can never leave a secret partly visible (security report D7).
   */
  static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = end(text, max);
    return text.substring(0, end) + "... (" + (text.length() - end) + " characters cut)";
  }

  /**
   * {@code text} when at most {@code max} characters, else cut so that with {@code "... (cut at
   * max characters)"} it is at most {@code max} characters (for a cap stated as a total length).
   */
  static String cutWithin(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    String marker = "... (cut at " + max + " characters)";
    return text.substring(0, end(text, max - marker.length())) + marker;
  }

  /** {@code end}, or one less when that would leave half a surrogate pair. */
  private static int end(String text, int end) {
    return Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end;
  }
}
