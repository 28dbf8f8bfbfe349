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
    int end = max;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "... (" + (text.length() - end) + " characters cut)";
  }
}
