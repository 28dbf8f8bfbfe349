package dev.pave.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pave.config.Durations;
import dev.pave.core.internal.AdminServer.BadRequest;
import dev.pave.logging.PaveLogging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@code POST /loglevel} request, read and checked: the logger's name (bounded), the level
 * (null resets it) and the time it holds (null: until changed again). From the query string, a
 * form body or a JSON object; every problem is a {@link BadRequest} naming the field.
 */
record LogLevelChange(String logger, String level, Duration ttl) {

  /** Longest logger name accepted (security report D3: names are bounded before any lookup). */
  static final int MAX_LOGGER_NAME_CHARS = 256;
  /** The longest level-change TTL: a temporary change that outlives a day is a forgotten one. */
  static final Duration MAX_TTL = Duration.ofHours(24);
  private static final Set<String> LEVELS = Set.copyOf(PaveLogging.LEVELS);

  /** Reads the change from {@code query} and a body of {@code contentType} (form unless JSON). */
  static LogLevelChange parse(Map<String, String> query, String contentType, byte[] body) throws BadRequest {
    Map<String, String> params = new LinkedHashMap<>(query);
    if (body.length > 0) {
      if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
        params.putAll(parseJsonObject(body));
      } else {
        params.putAll(AdminServer.parseForm(new String(body, StandardCharsets.UTF_8)));
      }
    }
    String logger = params.get("logger");
    if (logger == null || logger.isBlank()) {
      throw new BadRequest(400, "field 'logger' is required (a logger name, or ROOT)");
    }
    String level = params.get("level");
    if (level != null && !level.isBlank()) {
      level = level.trim().toUpperCase(Locale.ROOT);
      if (!LEVELS.contains(level)) {
        throw new BadRequest(400, "field 'level' must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF"
            + " (or empty to reset), was '" + AdminServer.sanitize(params.get("level")) + "'");
      }
    } else {
      level = null;
    }
    Duration ttl = null;
    String ttlText = params.get("ttl");
    if (ttlText != null && !ttlText.isBlank()) {
      ttl = parseTtl(ttlText.trim());
    }
    String name = logger.trim();
    if (name.length() > MAX_LOGGER_NAME_CHARS) {
      throw new BadRequest(400, "field 'logger' is longer than " + MAX_LOGGER_NAME_CHARS + " characters");
    }
    return new LogLevelChange(name, level, ttl);
  }

  /** A duration as every key takes it ({@link Durations#parse}): {@code 500ms}, {@code 30s}, {@code 5m}, {@code PT5M}. */
  static Duration parseTtl(String text) throws BadRequest {
    Duration ttl;
    try {
      ttl = Durations.parse(text); // the notation of every duration key
    } catch (IllegalArgumentException | ArithmeticException e) {
      ttl = null;
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new BadRequest(400, "field 'ttl' must be a positive duration of at most 24h such as 30s, 5m,"
          + " 1h or PT5M, was '" + AdminServer.sanitize(text) + "'");
    }
    return ttl;
  }

  private static Map<String, String> parseJsonObject(byte[] body) throws BadRequest {
    JsonNode node;
    try {
      node = AdminServer.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new BadRequest(400, "body is not valid JSON; expected {\"logger\": ..., \"level\": ..., \"ttl\": ...}");
    }
    if (node == null || !node.isObject()) {
      throw new BadRequest(400, "body must be a JSON object: {\"logger\": ..., \"level\": ..., \"ttl\": ...}");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
    }
    return values;
  }
}
