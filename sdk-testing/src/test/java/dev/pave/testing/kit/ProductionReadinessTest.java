package dev.pave.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.testing.PaveTest;
import dev.pave.testing.PaveTestService;
import dev.pave.testing.ProductionReadiness;
import dev.pave.testing.ReadinessReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@PaveTest(value = EchoServiceMain.class, secrets = "echo.api-key=k3y-of-12chr")
class ProductionReadinessTest {

  @Test
  void aWellConfiguredServicePassesEveryItem(PaveTestService svc) {
    ReadinessReport report = ProductionReadiness.forEnvironment("prod").check(svc);

    assertThat(report.items()).extracting(ReadinessReport.Item::name).containsExactly(
        "graceful drain fits the termination grace period",
        "readiness checks registered",
        "secrets from the secret volume or the age file, not env",
        "JSON logs",
        "trace export configured",
        "every gRPC client has a deadline and a circuit breaker",
        "metrics endpoint on");
    assertThat(report.ready()).as(report.toString()).isTrue();
    assertThat(report.toString())
        .contains("PASS  graceful drain fits the termination grace period: 5s drain + 20s shutdown + 3s telemetry flush <= 30s grace period")
        .contains("PASS  readiness checks registered: api-key")
        .contains("PASS  trace export configured: otel.exporter.otlp.endpoint=http://otel-collector.observability:4317")
        .contains("PASS  every gRPC client has a deadline and a circuit breaker: payments (deadline 2s)");
    report.assertReady();
  }

  @Test
  void aMisconfiguredServiceFailsTheBuild_listingEveryFailedItemWithItsReason(PaveTestService svc) {
    ReadinessReport report = ProductionReadiness.forEnvironment("staging").check(svc);

    assertThat(report.ready()).isFalse();
    assertThat(report.items()).filteredOn(item -> !item.passed()).extracting(ReadinessReport.Item::name)
        .containsExactly(
            "graceful drain fits the termination grace period",
            "secrets from the secret volume or the age file, not env",
            "JSON logs",
            "trace export configured",
            "every gRPC client has a deadline and a circuit breaker",
            "metrics endpoint on");
    assertThatThrownBy(report::assertReady)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("NOT READY")
        .hasMessageContaining("FAIL  graceful drain fits the termination grace period: termination budget exceeded")
        .hasMessageContaining("lifecycle.drain-delay (10s)")
        .hasMessageContaining("FAIL  secrets from the secret volume or the age file, not env: secrets.allow-env=true")
        .hasMessageContaining("FAIL  JSON logs: logging.format=text")
        .hasMessageContaining("FAIL  trace export configured: no OTEL_EXPORTER_OTLP_ENDPOINT")
        .hasMessageContaining("payments: circuit breaker off")
        .hasMessageContaining("FAIL  metrics endpoint on: admin.port=0");
  }

  @Test
  void anExporterThatCannotExport_fails(PaveTestService svc) {
    // Adoption report defect 7: the collector's HTTP port with OpenTelemetry Java's default
    // protocol (grpc) lost every span, and the report said PASS.
    ReadinessReport httpPortGrpc = ProductionReadiness.forEnvironment("staging")
        .environmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
        .check(svc);
    assertThat(httpPortGrpc.toString()).contains("FAIL  trace export configured: otel.exporter.otlp.endpoint="
        + "http://collector:4318 is a collector's OTLP/HTTP port, but the protocol is grpc");
    ReadinessReport fixed = ProductionReadiness.forEnvironment("staging")
        .environmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
        .environmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        .check(svc);
    assertThat(fixed.items()).filteredOn(item -> item.name().equals("trace export configured"))
        .singleElement().satisfies(item -> assertThat(item.passed()).isTrue());
    ReadinessReport noScheme = ProductionReadiness.forEnvironment("staging")
        .environmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317")
        .check(svc);
    assertThat(noScheme.toString()).contains("FAIL  trace export configured: otel.exporter.otlp.endpoint=collector:4317"
        + " is not an http(s) URL with a host");
  }

  @Test
  void deploymentEnvironmentVariablesCount_andThePrintedChecklistMatchesTheReport(PaveTestService svc) {
    ReadinessReport report = ProductionReadiness.forEnvironment("staging")
        .environmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")
        .check(svc);

    assertThat(report.items()).filteredOn(item -> item.name().equals("trace export configured"))
        .singleElement().satisfies(item -> assertThat(item.passed()).isTrue());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(report.toString());
  }
}
