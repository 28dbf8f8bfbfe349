package dev.pave.config.internal;

import dev.pave.config.ConfigException;
import dev.pave.config.ConfigException.Problem;
import dev.pave.config.DeclaredKey;
import dev.pave.config.DefaultValue;
import dev.pave.config.Secret;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Binds a key prefix onto a record, collecting every problem before failing. Component
 * {@code drainDelay} reads key {@code <prefix>.drain-delay} (or {@code <prefix>.drainDelay}).
 */
public final class RecordBinder {

  /** Looks up a secret; may throw {@link ConfigException} when a secret source is broken. */
  @FunctionalInterface
  public interface SecretLookup {
    /** The secret and its source, or empty. */
    Optional<SecretStore.Entry> find(String key);
  }

  private final ConfigState state;
  private final SecretLookup secrets;
  private final List<Problem> problems = new ArrayList<>();

  private RecordBinder(ConfigState state, SecretLookup secrets) {
    this.state = state;
    this.secrets = secrets;
  }

  /**
   * Binds {@code prefix} onto {@code type}.
   *
   * @throws ConfigException listing every missing, malformed and unknown key
   */
  public static <R extends Record> R bind(ConfigState state, SecretLookup secrets, String prefix, Class<R> type) {
    var binder = new RecordBinder(state, secrets);
    Object result = binder.bindRecord(prefix, type);
    binder.checkUnknownFromProcess(prefix, type);
    if (!binder.problems.isEmpty() || result == null) {
      throw new ConfigException(ConfigState.distinct(binder.problems));
    }
    return type.cast(result);
  }

  /**
   * Whether any source sets a key that {@code type} declares under {@code prefix}, or a file sets
   * any key under it: the rule for an {@code Optional} record section being present.
   */
  public static boolean present(ConfigState state, SecretLookup secrets, String prefix, Class<?> type) {
    var binder = new RecordBinder(state, secrets);
    return binder.anyDeclaredPresent(prefix, type) || binder.hasAnyUnder(prefix);
  }

  private Object bindRecord(String prefix, Class<?> type) {
    int before = problems.size();
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    Set<String> allowed = new LinkedHashSet<>();
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      String kebab = Keys.kebab(component.getName());
      allowed.add(kebab);
      allowed.add(component.getName());
      String key = Keys.join(prefix, kebab);
      if (!kebab.equals(component.getName()) && !present(key) && present(Keys.join(prefix, component.getName()))) {
        key = Keys.join(prefix, component.getName());
      }
      DefaultValue fallback = component.getAnnotation(DefaultValue.class);
      String fallbackSource = "@DefaultValue on " + type.getSimpleName() + "." + component.getName();
      args[i] = bindValue(key, component.getGenericType(), fallback == null ? null : fallback.value(), fallbackSource);
    }
    checkUnknown(prefix, type, allowed);
    if (problems.size() > before) {
      return null;
    }
    try {
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
      }
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigException rejected) {
        // A compact constructor named the keys it rejected: report each with its value's source.
        for (Problem p : rejected.problems()) {
          RawValue read = state.read().get(p.key());
          problems.add(read == null ? p : new Problem(p.key(), read.source(), p.message()));
        }
        return null;
      }
      // A compact constructor rejected the values otherwise: report it as a problem of the section.
      problems.add(new Problem(prefix, "bound values", type.getSimpleName() + " rejected the values: "
          + (cause == null ? e : cause.getClass().getSimpleName() + ": " + cause.getMessage())));
      return null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException("cannot construct record " + type.getName() + ": " + e, e);
    }
  }

  private Object bindValue(String key, Type type, String fallback, String fallbackSource) {
    Class<?> raw = rawClass(type);
    if (raw == Optional.class) {
      Type inner = typeArgument(type, 0);
      Class<?> innerClass = rawClass(inner);
      if (innerClass == Secret.class) {
        return secret(key, false).map(SecretStore.Entry::secret);
      }
      if (innerClass.isRecord()) {
        // Present when any declared key of the section is set anywhere (looked up directly, in
        // every source and form), or a file sets an undeclared one (reported as unknown).
        return anyDeclaredPresent(key, innerClass) || hasAnyUnder(key)
            ? Optional.ofNullable(bindRecord(key, innerClass)) : Optional.empty();
      }
      if (!present(key) && fallback == null) {
        return Optional.empty();
      }
      return Optional.ofNullable(bindValue(key, inner, fallback, fallbackSource));
    }
    if (raw == Secret.class) {
      return secret(key, true).map(SecretStore.Entry::secret).orElse(null);
    }
    if (raw == List.class) {
      return bindList(key, typeArgument(type, 0), fallback, fallbackSource);
    }
    if (raw == Map.class) {
      return bindMap(key, type);
    }
    if (raw.isRecord()) {
      return bindRecord(key, raw);
    }
    if (!Conversions.isScalar(raw)) {
      throw new IllegalArgumentException("unsupported type " + type.getTypeName() + " for key " + key);
    }
    Optional<RawValue> value = value(key);
    if (value.isEmpty()) {
      if (fallback != null) {
        RawValue defaultValue = new RawValue(fallback, fallbackSource);
        state.recordRead(key, defaultValue);
        return convert(key, defaultValue, raw);
      }
      problems.add(missing(key, raw));
      return null;
    }
    return convert(key, value.get(), raw);
  }

  private List<Object> bindList(String key, Type elementType, String fallback, String fallbackSource) {
    Class<?> element = rawClass(elementType);
    var out = new ArrayList<Object>();
    if (element.isRecord()) {
      var indices = new TreeSet<Integer>();
      String start = key + "[";
      for (String k : state.keys()) {
        int close = k.indexOf(']', start.length());
        if (k.startsWith(start) && close > start.length()) {
          try {
            indices.add(Integer.parseInt(k.substring(start.length(), close)));
          } catch (NumberFormatException e) {
            // not an index
          }
        }
      }
      // Indices no file enumerates (set only by -D or the environment) are found by looking up
      // each element's declared keys directly, index by index, until one has none.
      for (int index = 0; anyDeclaredPresent(key + "[" + index + "]", element); index++) {
        indices.add(index);
      }
      for (int index : indices) {
        out.add(bindRecord(key + "[" + index + "]", element));
      }
      out.removeIf(Objects::isNull);
      return List.copyOf(out);
    }
    Optional<List<RawValue>> values;
    try {
      values = state.list(key);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return List.of();
    }
    if (values.isEmpty() && fallback != null) {
      state.recordRead(key, new RawValue(fallback, fallbackSource));
      var defaults = new ArrayList<RawValue>();
      for (String text : ConfigState.splitList(fallback)) {
        defaults.add(new RawValue(text, fallbackSource));
      }
      values = Optional.of(defaults);
    }
    for (RawValue value : values.orElse(List.of())) {
      Object converted = convert(key, value, element);
      if (converted != null) {
        out.add(converted);
      }
    }
    return List.copyOf(out);
  }

  private Map<String, Object> bindMap(String key, Type type) {
    if (rawClass(typeArgument(type, 0)) != String.class) {
      throw new IllegalArgumentException("map keys must be String for key " + key);
    }
    Class<?> valueType = rawClass(typeArgument(type, 1));
    Set<String> valueLeaves = null;
    if (valueType.isRecord()) {
      var declared = new Declared();
      declared.walk("", valueType);
      valueLeaves = declared.leafEnvForms();
    }
    SortedMap<String, RawValue> subtree = state.mapEntries(key, valueLeaves, problems);
    var out = new LinkedHashMap<String, Object>();
    if (valueType.isRecord()) {
      var names = new TreeSet<String>();
      subtree.keySet().forEach(k -> names.add(k.contains(".") ? k.substring(0, k.indexOf('.')) : k));
      for (String name : names) {
        out.put(name, bindRecord(Keys.join(key, name), valueType));
      }
    } else {
      for (Map.Entry<String, RawValue> entry : subtree.entrySet()) {
        out.put(entry.getKey(), convert(Keys.join(key, entry.getKey()), entry.getValue(), valueType));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private Optional<SecretStore.Entry> secret(String key, boolean required) {
    Optional<SecretStore.Entry> found;
    try {
      found = secrets.find(key);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
    Optional<RawValue> plain = state.raw(key);
    if (plain.isPresent() && (found.isEmpty() || !plain.get().source().startsWith(Keys.ENV_SOURCE_PREFIX))) {
      // Never echo the value: it is probably the secret itself, committed to a plain source.
      problems.add(new Problem(key, plain.get().source(), "a secret must not be set in plain configuration;"
          + " expected it in the secret volume (secrets.dir), the age-encrypted local file (secrets.local-file),"
          + " or in the environment with secrets.allow-env=true"));
      return Optional.empty();
    }
    if (found.isEmpty() && required) {
      problems.add(new Problem(key, ConfigException.NO_SOURCE, "missing secret; expected a file named '" + key
          // No "key=..." in the hint: log redaction would mask it as if it were a value.
          + "' in the secret volume (secrets.dir), a line with the key '" + key + "' and its value in the"
          + " age-encrypted local file"
          + " (secrets.local-file), or env " + Keys.envForm(key) + " with secrets.allow-env=true"));
    }
    return found;
  }

  private void checkUnknown(String prefix, Class<?> type, Set<String> allowed) {
    String dotted = prefix.isEmpty() ? "" : prefix + ".";
    for (Map.Entry<String, RawValue> entry : new TreeMap<>(state.effective()).entrySet()) {
      String key = entry.getKey();
      if (!key.startsWith(dotted) || entry.getValue().fromProcess()) {
        // Environment and system properties carry unrelated entries (GRPC_VERBOSITY, JAVA_HOME):
        // only files, defaults and overrides are checked for unknown keys.
        continue;
      }
      String rest = key.substring(dotted.length());
      int end = rest.length();
      int dot = rest.indexOf('.');
      int bracket = rest.indexOf('[');
      if (dot >= 0) {
        end = dot;
      }
      if (bracket >= 0 && bracket < end) {
        end = bracket;
      }
      if (!allowed.contains(rest.substring(0, end))) {
        var names = new ArrayList<String>();
        for (RecordComponent c : type.getRecordComponents()) {
          names.add(Keys.kebab(c.getName()));
        }
        problems.add(new Problem(key, entry.getValue().source(), "unknown key under bound prefix '" + prefix
            + "'; expected one of " + String.join(", ", names) + " (components of " + type.getSimpleName() + ")"));
      }
    }
  }

  /**
   * Whether any source sets a key that {@code type} declares under {@code prefix}: each declared
   * leaf is looked up directly (override, system property, its environment form, files), so a
   * section set only by {@code -D} or the environment is found although nothing enumerates it.
   */
  private boolean anyDeclaredPresent(String prefix, Class<?> type) {
    for (RecordComponent component : type.getRecordComponents()) {
      String kebab = Keys.kebab(component.getName());
      if (anyPresent(Keys.join(prefix, kebab), component.getGenericType())
          || (!kebab.equals(component.getName()) && anyPresent(Keys.join(prefix, component.getName()), component.getGenericType()))) {
        return true;
      }
    }
    return false;
  }

  private boolean anyPresent(String key, Type type) {
    Class<?> raw = rawClass(type);
    if (raw == Optional.class) {
      return anyPresent(key, typeArgument(type, 0));
    }
    if (raw.isRecord()) {
      return anyDeclaredPresent(key, raw);
    }
    if (raw == Map.class) {
      return state.anyUnder(key);
    }
    if (raw == List.class) {
      Class<?> element = rawClass(typeArgument(type, 0));
      return present(key) || (element.isRecord() ? anyDeclaredPresent(key + "[0]", element) : state.anyUnder(key));
    }
    if (raw == Secret.class) {
      try {
        return present(key) || secrets.find(key).isPresent();
      } catch (ConfigException e) {
        return true; // binding reports the broken source
      }
    }
    return present(key);
  }

  /**
   * Every key {@code type} declares under {@code prefix}, in declaration order: a map component
   * as {@code <key>.<name>}, a list of records as {@code <key>[<i>].<leaf>}.
   */
  public static List<DeclaredKey> declaredKeys(String prefix, Class<?> type) {
    var out = new ArrayList<DeclaredKey>();
    declare(prefix, type, false, out);
    return List.copyOf(out);
  }

  private static void declare(String prefix, Class<?> type, boolean optional, List<DeclaredKey> out) {
    for (RecordComponent component : type.getRecordComponents()) {
      DefaultValue fallback = component.getAnnotation(DefaultValue.class);
      declare(Keys.join(prefix, Keys.kebab(component.getName())), component.getGenericType(), optional,
          fallback == null ? null : fallback.value(), out);
    }
  }

  private static void declare(String key, Type type, boolean optional, String fallback,
      List<DeclaredKey> out) {
    Class<?> raw = rawClass(type);
    if (raw == Optional.class) {
      declare(key, typeArgument(type, 0), true, fallback, out);
    } else if (raw.isRecord()) {
      declare(key, raw, optional, out);
    } else if (raw == Map.class) {
      Class<?> value = rawClass(typeArgument(type, 1));
      if (value.isRecord()) {
        declare(key + ".<name>", value, true, out);
      } else {
        out.add(new DeclaredKey(key + ".<name>", value.getSimpleName(), Optional.empty(), false));
      }
    } else if (raw == List.class) {
      Class<?> element = rawClass(typeArgument(type, 0));
      if (element.isRecord()) {
        declare(key + "[<i>]", element, true, out);
      } else {
        out.add(new DeclaredKey(key, "List<" + element.getSimpleName() + ">",
            Optional.ofNullable(fallback), false));
      }
    } else {
      out.add(new DeclaredKey(key, raw.getSimpleName(), Optional.ofNullable(fallback),
          !optional && fallback == null));
    }
  }

  /** The keys a record type declares, relative to its prefix. */
  private static final class Declared {
    /** Scalar, secret and list-of-scalar keys, in kebab and component-name form. */
    final Set<String> leaves = new TreeSet<>();
    /** Keys of maps and lists of records: anything under them belongs to them. */
    final Set<String> open = new TreeSet<>();

    void walk(String prefix, Class<?> type) {
      for (RecordComponent component : type.getRecordComponents()) {
        String kebab = Keys.kebab(component.getName());
        add(Keys.join(prefix, kebab), component.getGenericType());
        if (!kebab.equals(component.getName())) {
          add(Keys.join(prefix, component.getName()), component.getGenericType());
        }
      }
    }

    private void add(String key, Type type) {
      Class<?> raw = rawClass(type);
      if (raw == Optional.class) {
        add(key, typeArgument(type, 0));
      } else if (raw.isRecord()) {
        walk(key, raw);
      } else if (raw == Map.class || (raw == List.class && rawClass(typeArgument(type, 0)).isRecord())) {
        open.add(key);
      } else {
        leaves.add(key);
      }
    }

    Set<String> leafEnvForms() {
      var out = new TreeSet<String>();
      leaves.forEach(k -> out.add(Keys.envForm(k)));
      return out;
    }

    /** Whether {@code relative} (a key below the prefix) is declared. */
    boolean allows(String relative) {
      if (leaves.contains(relative) || leaves.contains(Keys.listRoot(relative))) {
        return true;
      }
      for (String o : open) {
        if (relative.startsWith(o + ".") || relative.startsWith(o + "[")) {
          return true;
        }
      }
      return false;
    }

    /** Whether the environment name part {@code rest} (after the prefix's form and '_') is declared. */
    boolean allowsEnv(String rest) {
      for (String leaf : leaves) {
        String form = Keys.envForm(leaf);
        if (rest.equals(form) || (rest.startsWith(form + "_") && isIndex(rest.substring(form.length() + 1)))) {
          return true;
        }
      }
      for (String o : open) {
        if (rest.startsWith(Keys.envForm(o) + "_")) {
          return true; // a map's entries and list elements: their own rule applies when bound
        }
      }
      return false;
    }

    private static boolean isIndex(String text) {
      return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }

    /** The declared key closest to {@code relative}, in kebab form. */
    String closest(String relative, boolean envForm) {
      String best = null;
      int bestDistance = Integer.MAX_VALUE;
      for (String leaf : leaves) {
        String candidate = envForm ? Keys.envForm(leaf) : leaf;
        int d = distance(candidate, relative);
        if (d < bestDistance || (d == bestDistance && leaf.contains("-"))) {
          best = leaf;
          bestDistance = d;
        }
      }
      return best;
    }
  }

  /**
   * Reports system properties and environment variables under {@code prefix} that {@code type}
   * does not declare: a typo in {@code -D} or a Deployment's {@code env:} must not fall back to a
   * default silently. Kubernetes service links ({@code <SERVICE>_SERVICE_HOST}, {@code _PORT...})
   * are not configuration and are skipped.
   */
  private void checkUnknownFromProcess(String prefix, Class<?> type) {
    if (prefix.isEmpty()) {
      return;
    }
    var declared = new Declared();
    declared.walk("", type);
    String dotted = prefix + ".";
    var found = new ArrayList<Problem>();
    for (String key : state.systemPropertiesUnder(prefix)) {
      String relative = key.substring(dotted.length() - (key.startsWith(prefix + "[") ? 1 : 0));
      if (!declared.allows(relative)) {
        found.add(unknown(key, Keys.SYSPROP_SOURCE_PREFIX + key, prefix, type,
            declared.closest(relative, false)));
      }
    }
    for (Map.Entry<String, String> entry : state.environmentUnder(prefix).entrySet()) {
      String rest = entry.getValue();
      if (!declared.allowsEnv(rest) && !Keys.isServiceLinkSuffix(rest)) {
        found.add(unknown(entry.getKey(), Keys.ENV_SOURCE_PREFIX + entry.getKey(), prefix, type,
            declared.closest(rest, true)));
      }
    }
    problems.addAll(found);
  }

  private static Problem unknown(String name, String source, String prefix, Class<?> type, String closest) {
    return new Problem(name, source, "matches no key of " + type.getSimpleName() + " under '" + prefix + "'"
        + (closest == null ? "" : "; did you mean " + Keys.join(prefix, closest) + " (env "
            + Keys.envForm(Keys.join(prefix, closest)) + ")?"));
  }

  private static int distance(String a, String b) {
    return ConfigState.levenshtein(a, b);
  }

  private Object convert(String key, RawValue value, Class<?> type) {
    try {
      return Conversions.convert(value.value(), type);
    } catch (Conversions.InvalidValue e) {
      problems.add(invalid(key, value, e));
      return null;
    }
  }

  /** The problem for a value that does not convert; the value is shown unless the key looks sensitive. */
  public static Problem invalid(String key, RawValue value, Conversions.InvalidValue e) {
    String got = Keys.isSensitive(key) ? " (value masked)" : ", got '" + value.value() + "'";
    return new Problem(key, value.source(), e.getMessage() + got);
  }

  /** The problem for a required key that no source sets. */
  public static Problem missing(String key, Class<?> type) {
    return new Problem(key, ConfigException.NO_SOURCE, "missing required value; expected " + Conversions.describe(type)
        + " (set '" + key + "' in a config file, or env " + Keys.envForm(key) + ")");
  }

  private Optional<RawValue> value(String key) {
    try {
      return state.value(key);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
  }

  private boolean present(String key) {
    return state.raw(key).isPresent();
  }

  private boolean hasAnyUnder(String key) {
    String dotted = key + ".";
    for (String k : state.keys()) {
      if (k.startsWith(dotted)) {
        return true;
      }
    }
    return false;
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class) {
      return (Class<?>) type;
    }
    if (type instanceof ParameterizedType) {
      return (Class<?>) ((ParameterizedType) type).getRawType();
    }
    throw new IllegalArgumentException("unsupported type " + type.getTypeName());
  }

  private static Type typeArgument(Type type, int index) {
    if (!(type instanceof ParameterizedType)) {
      throw new IllegalArgumentException("raw type " + type.getTypeName() + " needs a type argument");
    }
    return ((ParameterizedType) type).getActualTypeArguments()[index];
  }
}
