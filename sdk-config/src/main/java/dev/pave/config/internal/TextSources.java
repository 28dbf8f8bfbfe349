package dev.pave.config.internal;

import dev.pave.config.ConfigException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/** Parses YAML and properties text into flat {@code key -> text} maps. */
public final class TextSources {

  private static final int MAX_DEPTH = 64;

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
    // The node graph is walked directly (no SnakeYAML constructor or representer): values stay
    // text, every node keeps its line for error messages, and a cold Config.load() loads fewer
    // classes.
    var options = new LoaderOptions();
    Node document;
    try {
      var composer = new Composer(new ParserImpl(new StreamReader(text), options), new TextOnlyResolver(), options);
      document = composer.getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what = e.getProblem() != null ? e.getProblem() : e.getContext();
      problems.add(new Problem(fileName, source, "malformed YAML" + at(mark) + ": " + what
          + "; expected a YAML mapping of keys to values"));
      return Map.of();
    } catch (YAMLException e) {
      problems.add(new Problem(fileName, source, "malformed YAML: " + e.getMessage()
          + "; expected a YAML mapping of keys to values"));
      return Map.of();
    }
    var out = new LinkedHashMap<String, String>();
    if (document == null) {
      return out;
    }
    if (!(document instanceof MappingNode)) {
      problems.add(new Problem(fileName, source, "expected a YAML mapping of keys to values at the top level"
          + at(document.getStartMark()) + ", found a " + document.getNodeId()));
      return Map.of();
    }
    int before = problems.size();
    walk("", document, out, 0, fileName, source, problems);
    return problems.size() > before ? Map.of() : out;
  }

  private static void walk(String prefix, Node node, Map<String, String> out, int depth, String fileName,
      String source, List<Problem> problems) {
    if (depth > MAX_DEPTH) {
      problems.add(new Problem(fileName, source, "YAML nested deeper than " + MAX_DEPTH + " levels" + at(node.getStartMark())
          + " (a recursive alias?); expected a tree of keys"));
      return;
    }
    if (node instanceof ScalarNode) {
      out.put(prefix, ((ScalarNode) node).getValue());
    } else if (node instanceof SequenceNode) {
      List<Node> items = ((SequenceNode) node).getValue();
      for (int i = 0; i < items.size(); i++) {
        walk(prefix + "[" + i + "]", items.get(i), out, depth + 1, fileName, source, problems);
      }
    } else if (node instanceof MappingNode) {
      List<NodeTuple> tuples = ((MappingNode) node).getValue();
      // Merge keys first, so that explicit keys of this mapping override merged ones.
      for (NodeTuple tuple : tuples) {
        if (isMergeKey(tuple.getKeyNode())) {
          Node merged = tuple.getValueNode();
          List<Node> sources = merged instanceof SequenceNode ? ((SequenceNode) merged).getValue() : List.of(merged);
          for (Node mergedSource : sources) {
            walk(prefix, mergedSource, out, depth + 1, fileName, source, problems);
          }
        }
      }
      var seen = new HashSet<String>();
      for (NodeTuple tuple : tuples) {
        Node keyNode = tuple.getKeyNode();
        if (isMergeKey(keyNode)) {
          continue;
        }
        if (!(keyNode instanceof ScalarNode)) {
          problems.add(new Problem(fileName, source, "a YAML key" + at(keyNode.getStartMark())
              + " is not a scalar; expected text keys"));
          continue;
        }
        String name = ((ScalarNode) keyNode).getValue();
        if (!seen.add(name)) {
          problems.add(new Problem(fileName, source, "malformed YAML" + at(keyNode.getStartMark())
              + ": found duplicate key " + name + "; expected each key once"));
          continue;
        }
        walk(Keys.join(prefix, name), tuple.getValueNode(), out, depth + 1, fileName, source, problems);
      }
    }
  }

  private static boolean isMergeKey(Node key) {
    return key instanceof ScalarNode && "<<".equals(((ScalarNode) key).getValue());
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

  /** A resolver without implicit tags: every plain scalar is a string. */
  private static final class TextOnlyResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      // Intentionally empty: values are typed by the reader (Config.get / bind), not by YAML 1.1
      // rules that turn "no" into false and "0755" into 493.
    }
  }
}
