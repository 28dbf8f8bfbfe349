package dev.pave.config.internal;

import dev.pave.config.ConfigException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/** Parses YAML and properties text into flat {@code key -> text} maps. */
public final class TextSources {

  private static final int MAX_DEPTH = 64;
  /** Bounds what aliases expand to: with at most 50 of them, nesting still multiplies. */
  private static final int MAX_NODES = 100_000;

  private TextSources() {}

  /**
   * Parses YAML into flat keys: nested mappings join with {@code .}, sequences become
   * {@code key[0]}, {@code key[1]}, merge keys ({@code <<: *base}) apply. Every scalar stays text
   * (no implicit typing, so {@code 0755}, {@code no} and {@code ~} are not reinterpreted); an
   * empty value is the empty string. Conversion happens when a value is read.
   *
   * @param problems receives a problem naming {@code source} and the line if the text is malformed
   * @return the flat map, empty when there are problems
   */
  public static Map<String, String> parseYaml(String text, String fileName, String source, List<Problem> problems) {
    YamlNode document;
    try {
      document = new EventComposer(new ParserImpl(new StreamReader(text), new LoaderOptions())).document();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      return malformed(at(mark) + ": " + (e.getProblem() != null ? e.getProblem() : e.getContext()),
          fileName, source, problems);
    } catch (MalformedYaml e) {
      return malformed(at(e.mark) + ": " + e.getMessage(), fileName, source, problems);
    } catch (YAMLException e) {
      return malformed(": " + e.getMessage(), fileName, source, problems);
    }
    var out = new LinkedHashMap<String, String>();
    if (document == null) {
      return out;
    }
    if (document.kind != YamlNode.MAPPING) {
      problems.add(new Problem(fileName, source, "expected a YAML mapping of keys to values at the top level"
          + at(document.mark) + ", found a " + (document.kind == YamlNode.SCALAR ? "scalar" : "sequence")));
      return Map.of();
    }
    int before = problems.size();
    try {
      walk("", document, out, 0, new int[1], fileName, source, problems);
    } catch (MalformedYaml e) {
      problems.add(new Problem(fileName, source, e.getMessage() + at(e.mark) + " (a recursive alias?); expected a tree of keys"));
    }
    return problems.size() > before ? Map.of() : out;
  }

  /** Reports the file as malformed ({@code where} is the line, if known, and the parser's words). */
  private static Map<String, String> malformed(String where, String fileName, String source, List<Problem> problems) {
    problems.add(new Problem(fileName, source, "malformed YAML" + where + "; expected a YAML mapping of keys to values"));
    return Map.of();
  }

  private static void walk(String prefix, YamlNode node, Map<String, String> out, int depth, int[] visits,
      String fileName, String source, List<Problem> problems) {
    if (depth > MAX_DEPTH) {
      throw new MalformedYaml("YAML nested deeper than " + MAX_DEPTH + " levels", node.mark);
    }
    if (++visits[0] > MAX_NODES) {
      throw new MalformedYaml("YAML expands to more than " + MAX_NODES + " nodes", node.mark);
    }
    if (node.kind == YamlNode.SCALAR) {
      out.put(prefix, node.text);
    } else if (node.kind == YamlNode.SEQUENCE) {
      List<YamlNode> items = node.children;
      for (int i = 0; i < items.size(); i++) {
        walk(prefix + "[" + i + "]", items.get(i), out, depth + 1, visits, fileName, source, problems);
      }
    } else {
      List<YamlNode> pairs = node.children; // key, value, key, value...
      // Merge keys first, so that explicit keys of this mapping override merged ones.
      for (int i = 0; i < pairs.size(); i += 2) {
        if (isMergeKey(pairs.get(i))) {
          YamlNode merged = pairs.get(i + 1);
          List<YamlNode> sources = merged.kind == YamlNode.SEQUENCE ? merged.children : List.of(merged);
          for (YamlNode mergedSource : sources) {
            walk(prefix, mergedSource, out, depth + 1, visits, fileName, source, problems);
          }
        }
      }
      var seen = new HashSet<String>();
      for (int i = 0; i < pairs.size(); i += 2) {
        YamlNode keyNode = pairs.get(i);
        if (isMergeKey(keyNode)) {
          continue;
        }
        if (keyNode.kind != YamlNode.SCALAR) {
          problems.add(new Problem(fileName, source, "a YAML key" + at(keyNode.mark)
              + " is not a scalar; expected text keys"));
          continue;
        }
        String name = keyNode.text;
        if (!seen.add(name)) {
          problems.add(new Problem(fileName, source, "malformed YAML" + at(keyNode.mark)
              + ": found duplicate key " + name + "; expected each key once"));
          continue;
        }
        walk(Keys.join(prefix, name), pairs.get(i + 1), out, depth + 1, visits, fileName, source, problems);
      }
    }
  }

  private static boolean isMergeKey(YamlNode key) {
    return key.kind == YamlNode.SCALAR && key.plain && "<<".equals(key.text);
  }

  private static String at(Mark mark) {
    return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  /** Parses {@code java.util.Properties} text. */
  public static Map<String, String> parseProperties(String text, String fileName, String source, List<Problem> problems) {
    var properties = new Properties();
    try (Reader reader = new StringReader(text)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      problems.add(new Problem(fileName, source, "malformed properties file: " + e.getMessage()
          + "; expected key=value lines"));
      return Map.of();
    }
    var out = new LinkedHashMap<String, String>();
    for (String name : properties.stringPropertyNames()) {
      out.put(name, properties.getProperty(name));
    }
    return out;
  }

  /** Reads a stream fully as UTF-8. */
  public static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Flattens a value given in code or YAML: maps join keys with {@code .}, lists and arrays index
   * with {@code [i]}, anything else becomes {@code String.valueOf}.
   */
  public static void flatten(String prefix, Object value, Map<String, String> out) {
    if (value instanceof Map) {
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        flatten(Keys.join(prefix, String.valueOf(entry.getKey())), entry.getValue(), out);
      }
    } else if (value instanceof List) {
      List<?> list = (List<?>) value;
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix + "[" + i + "]", list.get(i), out);
      }
    } else if (value instanceof Object[]) {
      flatten(prefix, List.of((Object[]) value), out);
    } else {
      out.put(prefix, value == null ? "" : String.valueOf(value));
    }
  }

  /**
   * A YAML node: a scalar's text, a sequence's items, or a mapping's keys and values in turn
   * ({@code key, value, key, value...}); an alias is the anchored node itself.
   */
  private static final class YamlNode {
    static final int SCALAR = 0;
    static final int SEQUENCE = 1;
    static final int MAPPING = 2;

    final int kind;
    final Mark mark;
    final String text;
    final boolean plain;
    final List<YamlNode> children;

    YamlNode(int kind, Mark mark, String text, boolean plain) {
      this.kind = kind;
      this.mark = mark;
      this.text = text;
      this.plain = plain;
      this.children = kind == SCALAR ? List.of() : new ArrayList<>();
    }
  }

  /** A structural problem the parser does not catch: an undefined alias, too many documents. */
  private static final class MalformedYaml extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Mark mark;

    MalformedYaml(String message, Mark mark) {
      super(message, null, false, false);
      this.mark = mark;
    }
  }

  /**
   * Builds {@link YamlNode}s from SnakeYAML's parser events. Written by hand instead of using
   * SnakeYAML's {@code Composer} because the Composer needs a {@code Resolver}, whose class
   * initializer compiles a dozen regular expressions for implicit typing that Pave never uses
   * (values stay text): about 8 ms of the cold first load on the benchmark machine
   * (docs/benchmarks.md, sdk-config). Scanning and parsing stay SnakeYAML's. Tags are ignored,
   * since no object is ever constructed from them; the Composer's guard against alias bombs is
   * kept.
   */
  private static final class EventComposer {
    /** SnakeYAML's default {@code LoaderOptions.maxAliasesForCollections}. */
    private static final int MAX_COLLECTION_ALIASES = 50;

    private final Parser parser;
    private final Map<String, YamlNode> anchors = new HashMap<>();
    private int collectionAliases;

    EventComposer(Parser parser) {
      this.parser = parser;
    }

    /** The single document's root node, or null for an empty stream. */
    YamlNode document() {
      parser.getEvent(); // stream start
      YamlNode root = null;
      if (!parser.checkEvent(Event.ID.StreamEnd)) {
        parser.getEvent(); // document start
        root = node(0);
        parser.getEvent(); // document end
      }
      if (!parser.checkEvent(Event.ID.StreamEnd)) {
        throw new MalformedYaml("expected a single document in the stream but found another document",
            parser.getEvent().getStartMark());
      }
      return root;
    }

    private YamlNode node(int depth) {
      Event event = parser.getEvent();
      if (event instanceof AliasEvent) {
        String anchor = ((AliasEvent) event).getAnchor();
        YamlNode target = anchors.get(anchor);
        if (target == null) {
          throw new MalformedYaml("found undefined alias " + anchor, event.getStartMark());
        }
        if (target.kind != YamlNode.SCALAR && ++collectionAliases > MAX_COLLECTION_ALIASES) {
          throw new MalformedYaml("more than " + MAX_COLLECTION_ALIASES + " aliases of mappings or sequences",
              event.getStartMark());
        }
        return target;
      }
      if (depth > MAX_DEPTH) {
        throw new MalformedYaml("nested deeper than " + MAX_DEPTH + " levels", event.getStartMark());
      }
      YamlNode node;
      if (event instanceof ScalarEvent) {
        ScalarEvent scalar = (ScalarEvent) event;
        node = new YamlNode(YamlNode.SCALAR, event.getStartMark(), scalar.getValue(), scalar.isPlain());
      } else if (event instanceof SequenceStartEvent) {
        node = new YamlNode(YamlNode.SEQUENCE, event.getStartMark(), null, false);
      } else {
        node = new YamlNode(YamlNode.MAPPING, event.getStartMark(), null, false);
      }
      String anchor = ((NodeEvent) event).getAnchor();
      if (anchor != null) {
        anchors.put(anchor, node);
      }
      if (node.kind != YamlNode.SCALAR) {
        Event.ID end = node.kind == YamlNode.SEQUENCE ? Event.ID.SequenceEnd : Event.ID.MappingEnd;
        while (!parser.checkEvent(end)) {
          node.children.add(node(depth + 1));
        }
        parser.getEvent();
      }
      return node;
    }
  }
}
