package dev.pave.ops;

import dev.pave.testsupport.Promtool;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Checks the shipped alerts and dashboard with the real promtool (Debian package prometheus). */
class OpsArtifactsTest {

  private static final Path RULES = Path.of("prometheus", "pave-alerts.yaml");
  private static final Path RULE_TESTS = Path.of("prometheus", "pave-alerts.test.yaml");
  private static final Path DASHBOARD = Path.of("grafana", "pave-service.json");

  @Test
  void alertRulesAreValid() throws Exception {
    Promtool.Result result = promtool("check", "rules", RULES.toString());
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void everyAlertHasAPassingUnitTest() throws Exception {
    Promtool.Result result = promtool("test", "rules", RULE_TESTS.toString());
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");

    assertThat(testedAlertNames()).containsExactlyInAnyOrderElementsOf(alertNames());
  }

  @Test
  void everyDashboardQueryIsValidPromQl(@TempDir Path tmp) throws Exception {
    List<String> expressions = dashboardExpressions();
    assertThat(expressions).hasSizeGreaterThan(15);

    // promtool has no "check query": each expression becomes a recording rule, whose PromQL
    // promtool parses. Grafana's variables are replaced by what Grafana would send.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < expressions.size(); i++) {
      String expr = expressions.get(i)
          .replace("$__rate_interval", "5m")
          .replace("$__range", "1h")
          .replace("$job", ".*")
          .replace("$instance", ".*");
      rules.append("      - record: dashboard:panel_").append(i).append('\n')
          .append("        expr: '").append(expr.replace("'", "''")).append("'\n");
    }
    Path file = tmp.resolve("dashboard-queries.yaml");
    Files.writeString(file, rules.toString(), StandardCharsets.UTF_8);

    Promtool.Result result = promtool("check", "rules", file.toString());
    assertThat(result.exit()).as(result.output()).isZero();
  }

  @Test
  void dashboardIsFilteredByJobAndInstance() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    Set<String> variables = new TreeSet<>();
    dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
    assertThat(variables).contains("datasource", "job", "instance");
    assertThat(dashboardExpressions()).allSatisfy(expr ->
        assertThat(expr).contains("job=~\"$job\"").contains("instance=~\"$instance\""));
  }

  private static List<String> dashboardExpressions() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        expressions.add(target.path("expr").asText());
      }
    }
    return expressions;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> alertNames() throws IOException {
    Map<String, Object> rules = new Yaml().load(Files.readString(RULES));
    Set<String> names = new TreeSet<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        names.add((String) rule.get("alert"));
      }
    }
    return names;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> testedAlertNames() throws IOException {
    Map<String, Object> tests = new Yaml().load(Files.readString(RULE_TESTS));
    Set<String> names = new TreeSet<>();
    for (Map<String, Object> test : (List<Map<String, Object>>) tests.get("tests")) {
      for (Map<String, Object> alertTest : (List<Map<String, Object>>) test.get("alert_rule_test")) {
        if (!((List<?>) alertTest.get("exp_alerts")).isEmpty()) {
          names.add((String) alertTest.get("alertname"));
        }
      }
    }
    return names;
  }

  private static Promtool.Result promtool(String... args) throws IOException, InterruptedException {
    return Promtool.run(null, args);
  }
}
