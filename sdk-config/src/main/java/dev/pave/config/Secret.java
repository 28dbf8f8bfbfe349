package dev.pave.config;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * A secret value: a password, an API key, a token.
 *
 * <p>The plaintext leaves this object only through an explicit call: {@link #reveal()} or
 * {@link #use(Function)}. {@link #toString()} and therefore any log line, exception message, JSON
 * rendering through {@code toString} or record {@code toString} shows {@value #MASK}.
 * {@link #equals(Object)} compares in constant time; {@link #hashCode()} is the same for every
 * secret so that it reveals nothing about the value.
 *
 * <p>Instances are immutable and thread-safe. Bind a record component of type {@code Secret} (see
 * {@link Config#bind(String, Class)}) or call {@link Config#secret(String)}.
 */
public final class Secret {

  /** What {@link #toString()} returns for every secret. */
  public static final String MASK = "******";

  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  /**
   * Wraps a plaintext value.
   *
   * @param value the plaintext, not null (may be empty)
   * @return a secret holding a copy of {@code value}
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    return new Secret(value.toCharArray());
  }

  /**
   * Returns the plaintext. Every call site of this method is a place where the secret leaves
   * Pave's protection: keep it out of logs and messages.
   *
   * @return the plaintext value
   */
  public String reveal() {
    return new String(value);
  }

  /**
   * Calls {@code action} with a copy of the plaintext characters and wipes the copy afterwards.
   * The array must not be retained by {@code action}.
   *
   * @param action receives the plaintext characters
   * @param <T> the result type
   * @return what {@code action} returns
   */
  public <T> T use(Function<char[], T> action) {
    Objects.requireNonNull(action, "action");
    char[] copy = value.clone();
    try {
      return action.apply(copy);
    } finally {
      Arrays.fill(copy, '\0');
    }
  }

  /** Returns {@value #MASK}, never the value. */
  @Override
  public String toString() {
    return MASK;
  }

  /** Compares the plaintext of two secrets in time independent of where they differ. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Secret)) {
      return false;
    }
    return MessageDigest.isEqual(utf8(value), utf8(((Secret) other).value));
  }

  /** The same constant for every secret: a hash would leak information about the value. */
  @Override
  public int hashCode() {
    return 0x5EC2E7;
  }

  private static byte[] utf8(char[] chars) {
    var buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
