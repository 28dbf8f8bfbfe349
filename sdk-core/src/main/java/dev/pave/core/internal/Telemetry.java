package dev.pave.core.internal;

import dev.pave.config.Durations;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK, set up by {@code opentelemetry-sdk-extension-autoconfigure} so that every
 * standard {@code OTEL_*} variable and {@code otel.*} system property works, with Pave's defaults
 * underneath them:
 *
 * <ul>
 *   <li>traces exporter {@code otlp} only when an OTLP endpoint is configured, else {@code none}
 *       (no failing exports to localhost:4318 on every developer run);
 *   <li>metrics and logs exporters {@code none} unless set: metrics are scraped from {@code /metrics},
 *       logs are JSON on stdout;
 *   <li>resource attributes {@code service.name}, {@code service.version},
 *       {@code deployment.environment.name}, {@code k8s.pod.name}, {@code k8s.namespace.name}, each
 *       unless already given by {@code OTEL_RESOURCE_ATTRIBUTES}/{@code OTEL_SERVICE_NAME};
 *   <li>propagators W3C {@code tracecontext,baggage} (the OpenTelemetry default).
 * </ul>
 *
 * Pave configuration keys under {@code otel.} (e.g. {@code otel.exporter.otlp.endpoint} in a config
 * file) are passed through as the lowest-priority OpenTelemetry properties.
 */
public final class Telemetry {
  private static final Logger log = LoggerFactory.getLogger(Telemetry.class);

  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
  static final AttributeKey<String> DEPLOYMENT_ENVIRONMENT = AttributeKey.stringKey("deployment.environment.name");
  static final AttributeKey<String> K8S_POD_NAME = AttributeKey.stringKey("k8s.pod.name");
  static final AttributeKey<String> K8S_NAMESPACE_NAME = AttributeKey.stringKey("k8s.namespace.name");

  private final OpenTelemetrySdk sdk;

  private Telemetry(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /**
   * What Pave knows about the service, for the resource: the same identity the logs carry (the
   * pod and namespace detected once, by sdk-logging's {@code LoggingSettings}); null when unknown.
   */
  public record ServiceIdentity(String name, String version, String environment, String podName, String namespace) {
    public ServiceIdentity {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * Builds the SDK.
   *
   * @param identity the service
   * @param paveOtelProperties Pave configuration under {@code otel.} (full keys), lowest priority
   * @param global whether to install the result as {@link GlobalOpenTelemetry}
   */
  public static Telemetry create(
      ServiceIdentity identity,
      Map<String, String> paveOtelProperties,
      boolean global) {
    Map<String, String> defaults = new HashMap<>(paveOtelProperties);
    defaults.putIfAbsent("otel.service.name", identity.name());
    AutoConfiguredOpenTelemetrySdkBuilder builder =
        AutoConfiguredOpenTelemetrySdk.builder()
            // The runtime flushes and shuts the SDK down during STOPPING, inside the termination
            // budget; OpenTelemetry's own hook would race with that.
            .disableShutdownHook()
            .addPropertiesSupplier(() -> defaults)
            .addPropertiesCustomizer(Telemetry::exporterDefaults)
            .addResourceCustomizer((resource, config) -> resource.merge(paveResource(resource, identity)));
    // With no exporter the SDK (1.68) hands out invalid, all-zero spans: no trace_id in logs, no
    // traceparent downstream. An empty processor keeps spans real; they are dropped when they end.
    builder.addTracerProviderCustomizer((tracer, config) -> tracer.addSpanProcessor(new KeepSpansValid()));
    OpenTelemetrySdk sdk = builder.build().getOpenTelemetrySdk();
    if (global) {
      try {
        GlobalOpenTelemetry.set(sdk);
      } catch (IllegalStateException e) {
        log.warn("GlobalOpenTelemetry was already set by someone else; Pave's SDK is not global: {}", e.getMessage());
      }
    }
    return new Telemetry(sdk);
  }

  /** A span processor that does nothing, so that the SDK creates valid spans without an exporter. */
  private static final class KeepSpansValid implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
      return false;
    }
  }

  static Map<String, String> exporterDefaults(ConfigProperties config) {
    Map<String, String> overrides = new LinkedHashMap<>();
    boolean endpointConfigured =
        config.getString("otel.exporter.otlp.endpoint") != null
            || config.getString("otel.exporter.otlp.traces.endpoint") != null;
    if (config.getString("otel.traces.exporter") == null && !endpointConfigured) {
      overrides.put("otel.traces.exporter", "none");
    }
    if (config.getString("otel.metrics.exporter") == null) {
      overrides.put("otel.metrics.exporter", "none");
    }
    if (config.getString("otel.logs.exporter") == null) {
      overrides.put("otel.logs.exporter", "none");
    }
    return overrides;
  }

  static Resource paveResource(Resource current, ServiceIdentity identity) {
    AttributesBuilder attributes = Attributes.builder();
    String currentName = current.getAttribute(SERVICE_NAME);
    if (currentName == null || currentName.startsWith("unknown_service")) {
      attributes.put(SERVICE_NAME, identity.name());
    }
    putIfAbsent(current, attributes, SERVICE_VERSION, identity.version());
    putIfAbsent(current, attributes, DEPLOYMENT_ENVIRONMENT, identity.environment());
    putIfAbsent(current, attributes, K8S_POD_NAME, identity.podName());
    putIfAbsent(current, attributes, K8S_NAMESPACE_NAME, identity.namespace());
    return Resource.create(attributes.build());
  }

  private static void putIfAbsent(Resource current, AttributesBuilder attributes, AttributeKey<String> key, String value) {
    if (value != null && !value.isBlank() && current.getAttribute(key) == null) {
      attributes.put(key, value);
    }
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /**
   * Flushes buffered spans and shuts the SDK down, waiting at most {@code timeout}.
   *
   * @return true if everything was exported in time
   */
  public boolean shutdown(Duration timeout) {
    CompletableResultCode result = sdk.shutdown().join(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    if (!result.isDone()) {
      log.warn("telemetry flush did not finish within {}; buffered spans may be lost", Durations.format(timeout));
      return false;
    }
    if (!result.isSuccess()) {
      log.warn("telemetry flush failed; buffered spans may be lost");
    }
    return result.isSuccess();
  }
}
