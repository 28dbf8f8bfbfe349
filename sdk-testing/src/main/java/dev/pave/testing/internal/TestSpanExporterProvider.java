package dev.pave.testing.internal;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The traces exporter {@value #NAME}: spans go to the in-memory exporter of the {@code @PaveTest}
 * launch that builds the SDK. Selected by the test configuration {@code
 * otel.traces.exporter=pave-test}, which sdk-core hands to OpenTelemetry's autoconfiguration.
 */
public final class TestSpanExporterProvider implements ConfigurableSpanExporterProvider {

  /** The exporter name. */
  public static final String NAME = "pave-test";

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    Launch launch = Launch.current();
    return launch != null ? launch.spanExporter() : InMemorySpanExporter.create();
  }

  @Override
  public String getName() {
    return NAME;
  }
}
