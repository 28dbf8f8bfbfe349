package dev.pave.config;

import dev.pave.config.internal.RecordBinder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One key a settings record declares for {@link Config#bind}: the catalogue entry that docs and
 * tests are checked against, so a key cannot be added, renamed or re-defaulted without them.
 *
 * <pre>{@code
 * for (DeclaredKey key : DeclaredKey.of("lifecycle", CoreSettings.Lifecycle.class)) {
 *   System.out.println(key.key() + " " + key.type() + " " + key.defaultValue().orElse("-"));
 * }
 * }</pre>
 *
 * @param key the dotted key; a map's entries appear as {@code <key>.<name>}, a list of records'
 *     elements as {@code <key>[<i>].<leaf>}
 * @param type the Java type's simple name ({@code Duration}, {@code int}, {@code List<String>})
 * @param defaultValue the {@link DefaultValue} text, if the component has one
 * @param required whether binding fails when no source sets the key (no default, not optional)
 */
public record DeclaredKey(String key, String type, Optional<String> defaultValue, boolean required) {

  /** Validates that every field is present. */
  public DeclaredKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
  }

  /**
   * Every key that binding {@code recordType} at {@code prefix} reads, in declaration order,
   * nested records flattened.
   */
  public static List<DeclaredKey> of(String prefix, Class<? extends Record> recordType) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(recordType, "recordType");
    return RecordBinder.declaredKeys(prefix, recordType);
  }
}
