package dev.pave.testing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The spans of one trace as a tree, parents before children, for assertions such as "the server
 * span is a child of the client span". Immutable. Obtain one with {@link
 * PaveTestService#trace(String)}; {@link #toString()} draws it.
 */
public final class SpanTree {

  private final String traceId;
  private final List<SpanData> spans;
  private final Map<String, List<SpanData>> children;

  SpanTree(String traceId, List<SpanData> spans) {
    this.traceId = Objects.requireNonNull(traceId, "traceId");
    this.spans = spans.stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    this.children = this.spans.stream().collect(Collectors.groupingBy(SpanData::getParentSpanId));
  }

  /** The trace id, 32 lowercase hex characters. */
  public String traceId() {
    return traceId;
  }

  /** Every span of the trace, in start order. */
  public List<SpanData> spans() {
    return spans;
  }

  /** Spans whose parent is not in this trace's captured spans (usually the one root), in start order. */
  public List<SpanData> roots() {
    List<SpanData> roots = new ArrayList<>();
    for (SpanData span : spans) {
      if (spans.stream().noneMatch(other -> other.getSpanId().equals(span.getParentSpanId()))) {
        roots.add(span);
      }
    }
    return roots;
  }

  /** The direct children of {@code span}, in start order. */
  public List<SpanData> children(SpanData span) {
    return children.getOrDefault(span.getSpanId(), List.of());
  }

  /**
   * The first span with this name and kind, for assertions. Both are needed: a gRPC call's client
   * and server spans share the name {@code package.Service/Method}.
   *
   * @throws AssertionError naming the span and drawing the tree if there is none
   */
  public SpanData span(String name, SpanKind kind) {
    return spans.stream().filter(s -> s.getName().equals(name) && s.getKind() == kind).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " span named '" + name + "' in " + this));
  }

  /** One line per span, indented under its parent: {@code name [kind] status}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("trace ").append(traceId).append('\n');
    for (SpanData root : roots()) {
      draw(root, 1, out);
    }
    return out.toString();
  }

  private void draw(SpanData span, int depth, StringBuilder out) {
    out.append("  ".repeat(depth)).append(span.getName()).append(" [").append(span.getKind())
        .append("] ").append(span.getStatus().getStatusCode()).append('\n');
    for (SpanData child : children(span)) {
      draw(child, depth + 1, out);
    }
  }
}
