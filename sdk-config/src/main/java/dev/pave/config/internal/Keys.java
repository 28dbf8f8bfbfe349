package dev.pave.config.internal;

import java.util.Locale;

/** Key naming rules: environment variable form, record component names, sensitive names. */
public final class Keys {

  /** Prefix of the source of a value read from an environment variable. */
  public static final String ENV_SOURCE_PREFIX = "env ";
  /** Prefix of the source of a value read from a system property. */
  public static final String SYSPROP_SOURCE_PREFIX = "system property ";

  // Same spirit as Spring Boot's actuator sanitizer: values of keys named like credentials are
  // masked in provenance and error messages even when they did not come from a secret source.
  private static final String SENSITIVE_LAST_CHARS =
      lastChars(dev.pave.config.Credentials.NAMES.toArray(new String[0]));

  private Keys() {}

  private static String lastChars(String[] suffixes) {
    var out = new StringBuilder();
    for (String suffix : suffixes) {
      char last = suffix.charAt(suffix.length() - 1);
      if (out.indexOf(String.valueOf(last)) < 0) {
        out.append(last);
      }
    }
    return out.toString();
  }

  /**
   * Whether {@code rest}, what follows {@code <PREFIX>_} in an environment variable's name, is one
   * of the variables Kubernetes injects for a Service named like the prefix ({@code
   * enableServiceLinks}): {@code SERVICE_HOST}, {@code SERVICE_PORT}, {@code SERVICE_PORT_<name>},
   * {@code PORT} and {@code PORT_<port>_<protocol>[_PROTO|_PORT|_ADDR]}. The one rule for both
   * checks that refuse unknown variables (a record's binding and {@code requireAllRead}); a
   * variable such as {@code <PREFIX>_PORTAL} is not one.
   */
  public static boolean isServiceLinkSuffix(String rest) {
    return rest.equals("SERVICE_HOST") || rest.equals("SERVICE_PORT") || rest.startsWith("SERVICE_PORT_")
        || rest.equals("PORT") || rest.startsWith("PORT_");
  }

  /**
   * The environment variable name that binds {@code key}: upper case, every character other than
   * an ASCII letter or digit ({@code .}, {@code -}, {@code [}, {@code ]}, {@code /}...) becomes
   * {@code _}, runs of {@code _} collapse, no trailing {@code _}. {@code lifecycle.drain-delay}
   * becomes {@code LIFECYCLE_DRAIN_DELAY}; {@code servers[0].host} becomes {@code SERVERS_0_HOST}.
   */
  public static String envForm(String key) {
    // In place on one char array, not a StringBuilder: this runs for every key of a cold load.
    char[] chars = key.toCharArray();
    int length = 0;
    for (char c : chars) {
      boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      char mapped = alphanumeric ? Character.toUpperCase(c) : '_';
      if (mapped != '_' || (length > 0 && chars[length - 1] != '_')) {
        chars[length++] = mapped;
      }
    }
    while (length > 0 && chars[length - 1] == '_') {
      length--;
    }
    return new String(chars, 0, length);
  }

  /** The key an unmatched environment variable binds: lower case, {@code _} becomes {@code .}. */
  public static String fromEnvName(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** The configuration key segment of a record component: {@code drainDelay} becomes {@code drain-delay}. */
  public static String kebab(String camel) {
    var out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean afterLower = i > 0 && !Character.isUpperCase(camel.charAt(i - 1));
        boolean acronymEnd = i > 0 && i + 1 < camel.length()
            && Character.isUpperCase(camel.charAt(i - 1)) && Character.isLowerCase(camel.charAt(i + 1));
        if (afterLower || acronymEnd) {
          out.append('-');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether values of {@code key} are masked because its name is a credential's ({@link dev.pave.config.Credentials}). */
  public static boolean isSensitive(String key) {
    // A suffix check, not a regex: this runs for every key on every provenance listing. Most keys
    // end in a letter no suffix ends in, and skip the lower-casing.
    if (key.isEmpty() || SENSITIVE_LAST_CHARS.indexOf(Character.toLowerCase(key.charAt(key.length() - 1))) < 0) {
      return false;
    }
    return dev.pave.config.Credentials.isCredentialName(key);
  }

  /** {@code prefix + "." + name}, or {@code name} when the prefix is empty. */
  public static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** The part of a key before its first {@code [}: the root of an indexed list. */
  public static String listRoot(String key) {
    int bracket = key.indexOf('[');
    return bracket < 0 ? key : key.substring(0, bracket);
  }
}
