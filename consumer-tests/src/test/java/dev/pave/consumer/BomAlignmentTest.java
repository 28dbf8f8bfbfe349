package dev.pave.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 1: a service that imports only {@code sdk-bom} and also uses libraries built
 * against an older gRPC and OpenTelemetry gets Pave's versions and starts. The same project with
 * what sdk-bom used to manage (the Pave modules only) is the reproduction: Maven picks the older
 * versions and the service cannot start.
 */
class BomAlignmentTest {

  @TempDir Path tmp;

  @Test
  void importingOnlySdkBom_alignsTheStack_andTheServiceStarts() throws Exception {
    Path project = project("""
              <dependency>
                <groupId>dev.pave</groupId>
                <artifactId>sdk-bom</artifactId>
                <version>%s</version>
                <type>pom</type>
                <scope>import</scope>
              </dependency>""".formatted(Consumers.PAVE_VERSION));
    List<String> jars = build(project);

    assertThat(jars).contains("grpc-stub-1.85.1.jar", "grpc-core-1.85.1.jar",
        "opentelemetry-api-1.68.0.jar", "opentelemetry-sdk-1.68.0.jar",
        "opentelemetry-sdk-extension-autoconfigure-1.68.0.jar", "jackson-core-2.21.3.jar");
    // Only the artifact the service pinned itself keeps its version (PAVE-011 then says to drop it).
    assertThat(jars).filteredOn(jar -> jar.matches("(grpc|opentelemetry)-.*-1\\.(70|43)\\.0\\.jar"))
        .containsExactly("grpc-testing-1.70.0.jar");

    try (var service = Consumers.ServiceProcess.start(project, List.of("-cp", classPath(project), "com.example.inventory.InventoryMain"))) {
      service.awaitReady();
      assertThat(service.get("/readyz")).isEqualTo(200);
      assertThat(service.terminate()).as("exit status after SIGTERM; log:%n%s", service.output()).isZero();
    }
  }

  @Test
  void withOnlyThePaveModulesManaged_theOlderStackWins_andTheServiceFailsToStart() throws Exception {
    String paveModules = Arrays.stream(new String[] {"sdk-config", "sdk-logging", "sdk-core", "sdk-grpc"})
        .map(module -> """
              <dependency>
                <groupId>dev.pave</groupId>
                <artifactId>%s</artifactId>
                <version>%s</version>
              </dependency>""".formatted(module, Consumers.PAVE_VERSION))
        .collect(Collectors.joining("\n"));
    Path project = project(paveModules);
    List<String> jars = build(project);

    assertThat(jars).contains("grpc-core-1.70.0.jar", "grpc-stub-1.70.0.jar", "grpc-netty-shaded-1.85.1.jar",
        "opentelemetry-api-1.43.0.jar", "opentelemetry-sdk-1.43.0.jar",
        "opentelemetry-sdk-extension-autoconfigure-1.68.0.jar");

    try (var service = Consumers.ServiceProcess.start(project, List.of("-cp", classPath(project), "com.example.inventory.InventoryMain"))) {
      assertThat(service.awaitExit()).as("exit status; log:%n%s", service.output()).isEqualTo(1);
      // The one ERROR line says what happened and what fixes it, with the stack trace.
      assertThat(service.output()).doesNotContain("READY in")
          .contains("failed to start: NoClassDefFoundError", "this is a class-path conflict", "dev.pave:sdk-bom",
              "\"exception.stacktrace\"");
      service.output().lines().filter(line -> line.contains("failed to start"))
          .forEach(line -> System.out.println("the reproduction, as before sdk-bom managed the stack: "
              + line.substring(0, Math.min(line.length(), 500))));
    }
  }

  private Path project(String paveImport) throws Exception {
    return Consumers.copyProject("inventory", tmp, Map.of("PAVE_IMPORT", paveImport));
  }

  /** Compiles the project and writes its runtime class path; returns the jar file names on it. */
  private static List<String> build(Path project) throws Exception {
    Consumers.mvn(project, 0, "-q", "compile", "dependency:build-classpath",
        "-Dmdep.outputFile=target/classpath.txt", "-Dmdep.includeScope=runtime");
    return Arrays.stream(Files.readString(project.resolve("target/classpath.txt")).trim().split(File.pathSeparator))
        .map(entry -> Path.of(entry).getFileName().toString())
        .toList();
  }

  private static String classPath(Path project) throws Exception {
    return project.resolve("target/classes") + File.pathSeparator
        + Files.readString(project.resolve("target/classpath.txt")).trim();
  }
}
