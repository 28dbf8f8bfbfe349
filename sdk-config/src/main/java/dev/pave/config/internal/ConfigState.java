package dev.pave.config.internal;

import dev.pave.config.ConfigException;
import dev.pave.config.ConfigException.Problem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The layered, immutable view of every non-secret source, highest precedence first: overrides,
 * system properties, environment variables, then the file layers (config directories,
 * {@code application-<env>.yaml}, {@code application.yaml}, defaults in code).
 *
 * <p>Lookup of a single key goes through the layers in order. Enumeration ({@link #effective()})
 * lists the keys that the override and file layers define, plus system properties under one of
 * their top-level roots and environment variables that map to such a key (the process carries many
 * unrelated variables such as {@code PATH}, and a variable's name cannot be turned back into a key).
 * Binding does not depend on enumeration: it looks up every declared key directly.
 */
public final class ConfigState {

  /** A named layer of flat values. */
  public record Layer(String name, Map<String, RawValue> values) {}

  private record EnvVar(String name, String value) {}

  private final Map<String, RawValue> overrides;
  private final Map<String, String> systemProperties;
  private final Map<String, EnvVar> environment;
  private final List<Layer> files;
  private volatile Map<String, RawValue> effective;
  /** Every key read by lookup or binding, with the value used (defaults included): for listing. */
  private final Map<String, RawValue> read;
  /** Every key looked up, set or not: the candidates of "did you mean". */
  private final Set<String> lookedUp;

  /**
   * @param overrides highest precedence, source "override"
   * @param systemProperties looked up by exact key
   * @param environment looked up by {@link Keys#envForm(String)} of a key
   * @param files highest precedence first
   */
  public ConfigState(Map<String, String> overrides, Map<String, String> systemProperties,
      Map<String, String> environment, List<Layer> files) {
    var o = new HashMap<String, RawValue>();
    // Plain loops rather than lambdas on the load path: Config.load() runs once, cold, and each
    // lambda's first linkage costs milliseconds there (docs/benchmarks.md, sdk-config).
    for (Map.Entry<String, String> entry : overrides.entrySet()) {
      o.put(entry.getKey(), new RawValue(entry.getValue(), "override"));
    }
    this.overrides = Map.copyOf(o);
    this.systemProperties = Map.copyOf(systemProperties);
    var env = new HashMap<String, EnvVar>();
    for (Map.Entry<String, String> entry : environment.entrySet()) {
      String name = entry.getKey();
      String upper = name.toUpperCase(Locale.ROOT);
      if (isServiceLink(upper, entry.getValue())) {
        continue; // ADMIN_PORT=tcp://10.96.0.12:8081: Kubernetes' link to a Service named "admin"
      }
      EnvVar existing = env.get(upper);
      // The winner between FOO_BAR and foo_bar is deterministic: the first in sort order (upper case).
      if (existing == null || name.compareTo(existing.name()) < 0) {
        env.put(upper, new EnvVar(name, entry.getValue()));
      }
    }
    this.environment = env;
    this.files = List.copyOf(files);
    this.read = new java.util.concurrent.ConcurrentHashMap<>();
    this.lookedUp = java.util.concurrent.ConcurrentHashMap.newKeySet();
  }

  private ConfigState(ConfigState base, List<Layer> files) {
    this.overrides = base.overrides;
    this.systemProperties = base.systemProperties;
    this.environment = base.environment;
    this.files = List.copyOf(files);
    this.read = base.read;
    this.lookedUp = base.lookedUp;
  }

  /** Returns a state with {@code layer} added below the existing file layers' position {@code index}. */
  public ConfigState withFileLayer(int index, Layer layer) {
    var layers = new ArrayList<>(files);
    layers.add(index, layer);
    return new ConfigState(this, layers);
  }

  /** The number of file layers. */
  public int fileLayerCount() {
    return files.size();
  }

  /** The unresolved value of {@code key} from the highest-precedence source that sets it. */
  public Optional<RawValue> raw(String key) {
    return Optional.ofNullable(raw(key, null));
  }

  /** {@link #raw(String)} with the key's environment form when already known, else null. */
  private RawValue raw(String key, String envForm) {
    RawValue value = overrides.get(key);
    if (value != null) {
      return value;
    }
    String sys = systemProperties.get(key);
    if (sys != null) {
      return new RawValue(sys, Keys.SYSPROP_SOURCE_PREFIX + key);
    }
    EnvVar env = environment.isEmpty() ? null : environment.get(envForm != null ? envForm : Keys.envForm(key));
    if (env != null) {
      return new RawValue(env.value(), Keys.ENV_SOURCE_PREFIX + env.name());
    }
    for (Layer layer : files) {
      value = layer.values().get(key);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * Resolves every enumerable key and checks the environment mapping. Called once at load.
   *
   * @param problems receives placeholder and ambiguity problems
   */
  public void resolveAll(List<Problem> problems) {
    // Hash maps only, no sorting: this runs once per load, cold, where every TreeMap insertion
    // is a chain of interpreted compareTo calls (docs/benchmarks.md, sdk-config). Listing sorts.
    var known = new HashMap<String, String>(); // key -> its environment form
    for (String key : overrides.keySet()) {
      known.put(key, null);
    }
    for (Layer layer : files) {
      for (String key : layer.values().keySet()) {
        known.put(key, null);
      }
    }
    var roots = new HashSet<String>();
    var byEnvForm = new HashMap<String, List<String>>();
    for (Map.Entry<String, String> entry : known.entrySet()) {
      String key = entry.getKey();
      roots.add(root(key));
      String form = Keys.envForm(key);
      entry.setValue(form);
      List<String> sameForm = byEnvForm.get(form);
      if (sameForm == null) {
        sameForm = new ArrayList<>(1);
        byEnvForm.put(form, sameForm);
      }
      sameForm.add(key);
    }
    var keys = new HashMap<String, String>(known);
    for (String key : systemProperties.keySet()) {
      if (!known.containsKey(key) && roots.contains(root(key))) {
        keys.put(key, null);
      }
    }
    var ambiguous = new TreeMap<String, Problem>(); // sorted, so the message lists them in a stable order
    for (Map.Entry<String, EnvVar> entry : environment.entrySet()) {
      // A variable that matches no key defined elsewhere is not enumerated: its name cannot be
      // turned back into a key ('_' stands for '.', '-' and '_', and case is lost). Binding finds
      // it by direct lookup of each declared key's environment form instead.
      List<String> matches = byEnvForm.get(entry.getKey());
      if (matches != null && matches.size() > 1) {
        // The one ambiguity of the relaxed mapping: '.' and '-' both become '_'.
        matches.sort(null);
        String name = entry.getValue().name();
        ambiguous.put(entry.getKey(), new Problem(String.join(", ", matches), Keys.ENV_SOURCE_PREFIX + name,
            "environment variable " + name + " maps to more than one key (" + String.join(" and ", matches)
                + "); expected a variable that maps to exactly one key: set the intended key with a system property"
                + " (-D" + matches.get(0) + "=...) or in a config file instead"));
      }
    }
    problems.addAll(ambiguous.values());
    var resolutionProblems = new ArrayList<Problem>();
    var resolved = resolve(keys, resolutionProblems);
    if (!resolutionProblems.isEmpty()) {
      // The error path: resolve again in key order, so the message lists problems in a stable order.
      resolutionProblems.clear();
      resolved = resolve(new TreeMap<>(keys), resolutionProblems);
      problems.addAll(resolutionProblems);
    }
    effective = Collections.unmodifiableMap(resolved);
  }

  private Map<String, RawValue> resolve(Map<String, String> keysWithEnvForm, List<Problem> problems) {
    var resolved = new HashMap<String, RawValue>(keysWithEnvForm.size() * 2);
    for (Map.Entry<String, String> entry : keysWithEnvForm.entrySet()) {
      String key = entry.getKey();
      RawValue value = raw(key, entry.getValue());
      if (value != null) {
        RawValue result = resolve(key, value, problems);
        if (result != null) {
          resolved.put(key, result);
        }
      }
    }
    return resolved;
  }

  /** Every enumerable key with its resolved value, in no particular order. */
  public Map<String, RawValue> effective() {
    return effective;
  }

  /**
   * The resolved value of {@code key}, including keys that only a system property or environment
   * variable sets.
   *
   * @throws ConfigException if a placeholder in the value cannot be resolved
   */
  public Optional<RawValue> value(String key) {
    lookedUp.add(key);
    RawValue known = effective.get(key);
    if (known != null) {
      read.put(key, known);
      return Optional.of(known);
    }
    Optional<RawValue> raw = raw(key);
    if (raw.isEmpty()) {
      return raw;
    }
    var problems = new ArrayList<Problem>();
    RawValue result = resolve(key, raw.get(), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    read.put(key, result);
    return Optional.of(result);
  }

  /** Records that {@code key} was read with {@code value} (a default, say) so listings show it. */
  public void recordRead(String key, RawValue value) {
    read.put(key, value);
  }

  /** Every key read so far by lookup or binding, with the value used; unordered. */
  public Map<String, RawValue> read() {
    return Collections.unmodifiableMap(read);
  }

  /** Resolved values under {@code prefix}, keys relative to it, sorted. */
  public SortedMap<String, RawValue> subtree(String prefix) {
    String dotted = prefix.isEmpty() ? "" : prefix + ".";
    var out = new TreeMap<String, RawValue>();
    var extra = new TreeSet<String>();
    for (String key : systemProperties.keySet()) {
      if (key.startsWith(dotted) && !effective.containsKey(key)) {
        extra.add(key);
      }
    }
    String envPrefix = prefix.isEmpty() ? "" : Keys.envForm(prefix) + "_";
    if (!prefix.isEmpty()) {
      for (String name : environment.keySet()) {
        String key = Keys.fromEnvName(name);
        if (name.startsWith(envPrefix) && !effective.containsKey(key)) {
          extra.add(key);
        }
      }
    }
    for (Map.Entry<String, RawValue> entry : effective.entrySet()) {
      if (entry.getKey().startsWith(dotted)) {
        out.put(entry.getKey().substring(dotted.length()), entry.getValue());
      }
    }
    for (String key : extra) {
      value(key).ifPresent(v -> out.putIfAbsent(key.substring(dotted.length()), v));
    }
    return out;
  }

  /**
   * The elements of the list at {@code key} from the highest-precedence source that defines it,
   * either as comma-separated text or as indexed keys {@code key[0]}, {@code key[1]}; a higher
   * source replaces a lower source's list as a whole.
   */
  public Optional<List<RawValue>> list(String key) {
    lookedUp.add(key);
    RawValue direct = overrides.get(key);
    if (direct == null && systemProperties.containsKey(key)) {
      direct = new RawValue(systemProperties.get(key), Keys.SYSPROP_SOURCE_PREFIX + key);
    }
    if (direct == null && environment.containsKey(Keys.envForm(key))) {
      EnvVar env = environment.get(Keys.envForm(key));
      direct = new RawValue(env.value(), Keys.ENV_SOURCE_PREFIX + env.name());
    }
    if (direct == null) {
      List<RawValue> indexed = indexed(overrides, key);
      if (!indexed.isEmpty()) {
        return Optional.of(resolveAllOf(indexed, key));
      }
      for (Layer layer : files) {
        direct = layer.values().get(key);
        if (direct != null) {
          break;
        }
        indexed = indexed(layer.values(), key);
        if (!indexed.isEmpty()) {
          return Optional.of(resolveAllOf(indexed, key));
        }
      }
    }
    if (direct == null) {
      return Optional.empty();
    }
    var problems = new ArrayList<Problem>();
    RawValue resolved = resolve(key, direct, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    var out = new ArrayList<RawValue>();
    for (String element : splitList(resolved.value())) {
      out.add(new RawValue(element, resolved.source()));
    }
    read.put(key, resolved);
    return Optional.of(out);
  }

  /**
   * Splits comma-separated list text into trimmed elements; blank text is the empty list. A
   * backslash-escaped comma ({@code \,}) is a literal comma inside an element, as in a regular
   * expression {@code \d{3\,4}}.
   */
  public static List<String> splitList(String text) {
    var out = new ArrayList<String>();
    if (!text.isBlank()) {
      for (String element : text.split("(?<!\\\\),", -1)) {
        out.add(element.trim().replace("\\,", ","));
      }
    }
    return out;
  }

  private List<RawValue> resolveAllOf(List<RawValue> values, String key) {
    var problems = new ArrayList<Problem>();
    var out = new ArrayList<RawValue>();
    for (RawValue value : values) {
      out.add(resolve(key, value, problems));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    for (int i = 0; i < out.size(); i++) {
      read.put(key + "[" + i + "]", out.get(i));
    }
    return out;
  }

  private static List<RawValue> indexed(Map<String, RawValue> values, String key) {
    String start = key + "[";
    var byIndex = new TreeMap<Integer, RawValue>();
    for (Map.Entry<String, RawValue> entry : values.entrySet()) {
      String k = entry.getKey();
      if (k.startsWith(start) && k.endsWith("]") && k.indexOf('[', start.length()) < 0) {
        try {
          byIndex.put(Integer.parseInt(k.substring(start.length(), k.length() - 1)), entry.getValue());
        } catch (NumberFormatException e) {
          // Not an index (e.g. "key[a]"): not part of the list.
        }
      }
    }
    return new ArrayList<>(byIndex.values());
  }

  // --- placeholders -------------------------------------------------------------------------

  private RawValue resolve(String key, RawValue value, List<Problem> problems) {
    if (!value.value().contains("${")) {
      return value;
    }
    Deque<String> stack = new ArrayDeque<>();
    stack.push(key);
    int before = problems.size();
    String text = substitute(new Problem(key, value.source(), ""), value, stack, problems);
    return problems.size() > before ? null : new RawValue(text, value.source());
  }

  /** Problems are reported against {@code origin}: the key being resolved and its source. */
  private String substitute(Problem origin, RawValue value, Deque<String> stack, List<Problem> problems) {
    String text = value.value();
    var out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int start = text.indexOf("${", i);
      if (start < 0) {
        out.append(text, i, text.length());
        break;
      }
      out.append(text, i, start);
      int end = closing(text, start + 2);
      if (end < 0) {
        problems.add(new Problem(origin.key(), origin.source(),
            "unterminated placeholder; expected ${key} or ${key:default}"));
        return text;
      }
      String body = text.substring(start + 2, end);
      int colon = body.indexOf(':');
      String name = (colon < 0 ? body : body.substring(0, colon)).trim();
      String fallback = colon < 0 ? null : body.substring(colon + 1);
      out.append(lookupPlaceholder(origin, name, fallback, stack, problems));
      i = end + 1;
    }
    return out.toString();
  }

  private String lookupPlaceholder(Problem origin, String name, String fallback,
      Deque<String> stack, List<Problem> problems) {
    if (stack.contains(name)) {
      var cycle = new ArrayList<String>();
      stack.descendingIterator().forEachRemaining(cycle::add);
      cycle.add(name);
      problems.add(new Problem(origin.key(), origin.source(), "placeholder cycle " + String.join(" -> ", cycle)
          + "; expected placeholders that end in a value"));
      return "";
    }
    Optional<RawValue> target = raw(name);
    if (target.isEmpty()) {
      if (fallback == null) {
        problems.add(new Problem(origin.key(), origin.source(), "placeholder ${" + name + "} cannot be resolved: no source sets '"
            + name + "'; expected that key to be set, or a default as in ${" + name + ":default}"));
        return "";
      }
      return substitute(origin, new RawValue(fallback, origin.source()), stack, problems);
    }
    stack.push(name);
    try {
      return substitute(origin, target.get(), stack, problems);
    } finally {
      stack.pop();
    }
  }

  private static int closing(String text, int from) {
    int depth = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{' && i > 0 && text.charAt(i - 1) == '$') {
        depth++;
      } else if (c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      }
    }
    return -1;
  }

  private static String root(String key) {
    String first = Keys.listRoot(key);
    int dot = first.indexOf('.');
    return dot < 0 ? first : first.substring(0, dot);
  }

  /** Removes duplicate problems (a cycle is found from each of its keys) keeping the order. */
  public static List<Problem> distinct(List<Problem> problems) {
    return new ArrayList<>(new LinkedHashSet<>(problems));
  }

  /**
   * Whether any source sets a key under {@code prefix} (a {@code prefix.} or {@code prefix[} key
   * in a file, an override or a system property, or an environment variable whose name starts
   * with the prefix's environment form and {@code _}).
   */
  public boolean anyUnder(String prefix) {
    String dotted = prefix + ".";
    String indexed = prefix + "[";
    for (String key : effective.keySet()) {
      if (key.startsWith(dotted) || key.startsWith(indexed)) {
        return true;
      }
    }
    for (String key : systemProperties.keySet()) {
      if (key.startsWith(dotted) || key.startsWith(indexed)) {
        return true;
      }
    }
    return !environmentUnder(prefix).isEmpty();
  }

  /**
   * The environment variables under {@code prefix}: name (as the process spells it) to the part of
   * the name after the prefix's environment form and {@code _}, in upper case; sorted by name.
   */
  public SortedMap<String, String> environmentUnder(String prefix) {
    var out = new TreeMap<String, String>();
    if (prefix.isEmpty()) {
      return out;
    }
    String envPrefix = Keys.envForm(prefix) + "_";
    for (Map.Entry<String, EnvVar> entry : environment.entrySet()) {
      if (entry.getKey().startsWith(envPrefix) && entry.getKey().length() > envPrefix.length()) {
        out.put(entry.getValue().name(), entry.getKey().substring(envPrefix.length()));
      }
    }
    return out;
  }

  /** The system properties whose key starts with {@code prefix.} or {@code prefix[}, sorted. */
  public SortedSet<String> systemPropertiesUnder(String prefix) {
    var out = new TreeSet<String>();
    for (String key : systemProperties.keySet()) {
      if (prefix.isEmpty() || key.startsWith(prefix + ".") || key.startsWith(prefix + "[")) {
        out.add(key);
      }
    }
    return out;
  }

  /**
   * The entries of the map at {@code prefix}, keys relative to it, sorted. Entries come from the
   * file layers, overrides and system properties under the prefix (any of them may be overridden
   * by the environment variable of its exact environment form), and from environment variables
   * whose remaining name is a single word of letters and digits ({@code LOGGING_LEVEL_ROOT} is
   * entry {@code root}). Any other variable under the prefix cannot be mapped to one entry, since
   * its name has lost the entry's dots, dashes, slashes and case: it is reported, never guessed.
   *
   * @param valueLeaves for a map of records, the environment forms of the value record's declared
   *     keys ({@code RETRY_MAX_ATTEMPTS}); a variable is then an entry's word followed by one of
   *     them. Null for a map of scalars.
   * @param problems receives one problem per variable that cannot be mapped
   */
  public SortedMap<String, RawValue> mapEntries(String prefix, Set<String> valueLeaves, List<Problem> problems) {
    String dotted = prefix + ".";
    var out = new TreeMap<String, RawValue>();
    var knownForms = new HashSet<String>();
    var candidates = new TreeSet<String>();
    for (String key : effective.keySet()) {
      if (key.startsWith(dotted)) {
        candidates.add(key);
      }
    }
    for (String key : systemProperties.keySet()) {
      if (key.startsWith(dotted)) {
        candidates.add(key);
      }
    }
    for (String key : candidates) {
      knownForms.add(Keys.envForm(key));
      try {
        value(key).ifPresent(v -> out.put(key.substring(dotted.length()), v));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    for (Map.Entry<String, String> entry : environmentUnder(prefix).entrySet()) {
      String name = entry.getKey();
      String rest = entry.getValue();
      if (knownForms.contains(name.toUpperCase(Locale.ROOT))) {
        continue; // overrides an entry another source names exactly; already in out
      }
      String word = null;
      String leaf = null;
      if (valueLeaves == null) {
        word = rest;
      } else {
        for (String candidate : valueLeaves) {
          if (rest.endsWith("_" + candidate) && (leaf == null || candidate.length() > leaf.length())) {
            leaf = candidate;
          }
        }
        word = leaf == null ? null : rest.substring(0, rest.length() - leaf.length() - 1);
      }
      if (word != null && isWord(word)) {
        String key = dotted + word.toLowerCase(Locale.ROOT);
        if (valueLeaves != null) {
          out.putIfAbsent(word.toLowerCase(Locale.ROOT), new RawValue("", Keys.ENV_SOURCE_PREFIX + name));
        } else {
          RawValue value = raw(key, null);
          RawValue resolved = value == null ? null : resolve(key, value, problems);
          if (resolved != null) {
            read.put(key, resolved);
            out.putIfAbsent(word.toLowerCase(Locale.ROOT), resolved);
          }
        }
        continue;
      }
      problems.add(new Problem(dotted + "<entry>", Keys.ENV_SOURCE_PREFIX + name, "environment variable " + name
          + " cannot be mapped to one entry of the map '" + prefix + "': a variable name loses the dots, dashes,"
          + " slashes and case of an entry's name, and only a single word of letters and digits"
          + (valueLeaves == null ? "" : " followed by one of the entry's keys") + " (" + Keys.envForm(prefix) + "_WORD"
          + (valueLeaves == null ? "" : "_KEY") + ") is taken as-is, in lower case;"
          + " expected the entry set as a system property (-D" + dotted + "<name>=...) or in a config file"
          + " (an environment variable may then override that entry by its exact environment form)"));
    }
    out.values().removeIf(Objects::isNull);
    return out;
  }

  /**
   * Whether {@code NAME=value} is the {@code <SERVICE>_PORT} variable Kubernetes injects for every
   * Service of the namespace ({@code enableServiceLinks}, on by default): its value is always
   * {@code tcp://<cluster IP>:<port>} (or {@code udp://}, {@code sctp://}), which no port key takes.
   * Read as configuration, a Service named {@code admin} or {@code grpc} would make {@code
   * ADMIN_PORT}/{@code GRPC_PORT} fail every Pave service beside it.
   */
  static boolean isServiceLink(String upperName, String value) {
    return upperName.endsWith("_PORT") && value != null && SERVICE_LINK.matcher(value).matches();
  }

  private static final java.util.regex.Pattern SERVICE_LINK =
      java.util.regex.Pattern.compile("(?:tcp|udp|sctp)://[0-9A-Fa-f.:\\[\\]]+:\\d{1,5}");

  private static boolean isWord(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reports every key set under one of {@code roots} that nothing has read: an environment
   * variable (Kubernetes service links excepted), a system property, or a key in a file or
   * override (code defaults excepted). Each problem names the closest key that was read.
   */
  public void unread(Set<String> roots, List<Problem> problems) {
    var readKeys = new HashSet<String>();
    var readForms = new HashSet<String>();
    for (String key : read.keySet()) {
      readKeys.add(key);
      readKeys.add(Keys.listRoot(key));
      readForms.add(Keys.envForm(key));
    }
    var found = new TreeMap<String, Problem>();
    for (String root : roots) {
      String form = Keys.envForm(root);
      for (Map.Entry<String, EnvVar> entry : environment.entrySet()) {
        String upper = entry.getKey();
        if (!(upper.equals(form) || upper.startsWith(form + "_")) || readForms.contains(upper)) {
          continue;
        }
        String rest = upper.length() > form.length() ? upper.substring(form.length() + 1) : "";
        if (Keys.isServiceLinkSuffix(rest)) {
          continue; // a Kubernetes service link, not configuration
        }
        String name = entry.getValue().name();
        found.put(name, unreadProblem(name, Keys.ENV_SOURCE_PREFIX + name, upper, true, root));
      }
      for (String key : systemProperties.keySet()) {
        if (under(key, root) && !readKeys.contains(key) && !readKeys.contains(Keys.listRoot(key))) {
          found.put(key, unreadProblem(key, Keys.SYSPROP_SOURCE_PREFIX + key, key, false, root));
        }
      }
      for (Map.Entry<String, RawValue> entry : effective.entrySet()) {
        String key = entry.getKey();
        RawValue value = entry.getValue();
        if (under(key, root) && !value.fromProcess() && !value.source().equals("default")
            && !readKeys.contains(key) && !readKeys.contains(Keys.listRoot(key))) {
          found.put(key, unreadProblem(key, value.source(), key, false, root));
        }
      }
    }
    problems.addAll(found.values());
  }

  private static boolean under(String key, String root) {
    return key.equals(root) || key.startsWith(root + ".") || key.startsWith(root + "[");
  }

  private Problem unreadProblem(String name, String source, String spelled, boolean envForm, String root) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String key : lookedUp) {
      if (under(key, root)) {
        int d = levenshtein(envForm ? Keys.envForm(key) : key, spelled);
        if (d < bestDistance) {
          best = key;
          bestDistance = d;
        }
      }
    }
    return new Problem(name, source, "matches no key that Pave or the service reads under '" + root + "'"
        + (best == null ? "" : "; did you mean " + best + " (env " + Keys.envForm(best) + ")?"));
  }

  /** Levenshtein distance, for "did you mean" suggestions. */
  public static int levenshtein(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** Keys of all enumerable values (used for unknown-key checks). */
  public Set<String> keys() {
    return effective.keySet();
  }
}
