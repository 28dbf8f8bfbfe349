package dev.pave.logging.internal;

import java.util.Map;
import java.util.Set;

/**
 * The field names of Pave's log schema, and how MDC and key-value names are kept from overwriting
 * them.
 */
final class FieldNames {

  static final String TIMESTAMP = "@timestamp";
  static final String LEVEL = "log.level";
  static final String MESSAGE = "message";
  static final String LOGGER = "log.logger";
  static final String THREAD = "thread.name";
  static final String SERVICE_NAME = "service.name";
  static final String SERVICE_VERSION = "service.version";
  static final String ENVIRONMENT = "deployment.environment.name";
  static final String POD_NAME = "k8s.pod.name";
  static final String NAMESPACE = "k8s.namespace.name";
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final String TRACE_FLAGS = "trace_flags";
  static final String EXCEPTION_TYPE = "exception.type";
  static final String EXCEPTION_MESSAGE = "exception.message";
  static final String EXCEPTION_STACKTRACE = "exception.stacktrace";

  /** Prefix given to an MDC key that collides with a standard field. */
  static final String MDC_PREFIX = "mdc.";
  /** Prefix given to a key-value key that collides with a standard field or an MDC key. */
  static final String KV_PREFIX = "kv.";

  static final Set<String> STANDARD =
      Set.of(
          TIMESTAMP, LEVEL, MESSAGE, LOGGER, THREAD, SERVICE_NAME, SERVICE_VERSION, ENVIRONMENT,
          POD_NAME, NAMESPACE, TRACE_ID, SPAN_ID, TRACE_FLAGS, EXCEPTION_TYPE, EXCEPTION_MESSAGE,
          EXCEPTION_STACKTRACE);

  private FieldNames() {}

  /** The output name of MDC entry {@code key}. */
  static String mdcName(String key) {
    String name = String.valueOf(key);
    return STANDARD.contains(name) ? MDC_PREFIX + name : name;
  }

  /** The output name of key-value pair {@code key}, given the event's MDC. */
  static String keyValueName(String key, Map<String, String> mdc) {
    String name = String.valueOf(key);
    return STANDARD.contains(name) || mdc.containsKey(name) ? KV_PREFIX + name : name;
  }
}
