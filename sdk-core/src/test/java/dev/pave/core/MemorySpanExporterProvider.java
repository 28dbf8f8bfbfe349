package dev.pave.core;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The traces exporter {@value #NAME} for sdk-core's own tests: spans go to {@link #EXPORTER}. It
 * is selected as a service would select any exporter ({@code otel.traces.exporter}), through
 * OpenTelemetry's exporter SPI, as sdk-testing's kit does, so no test hook into the runtime is
 * needed (design review A10).
 */
public final class MemorySpanExporterProvider implements ConfigurableSpanExporterProvider {

  /** The exporter name. */
  public static final String NAME = "core-test-memory";
  /** Where the spans go; tests reset it. */
  public static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    return new SpanExporter() { // the shared exporter outlives each service's SDK shutdown
      @Override
      public io.opentelemetry.sdk.common.CompletableResultCode export(
          java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
        return EXPORTER.export(spans);
      }

      @Override
      public io.opentelemetry.sdk.common.CompletableResultCode flush() {
        return EXPORTER.flush();
      }

      @Override
      public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
        return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
      }
    };
  }

  @Override
  public String getName() {
    return NAME;
  }
}
