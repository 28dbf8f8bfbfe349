package dev.pave.testing.conformance;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.pave.testing.conformance.fixtures.compliant.CompliantService;
import dev.pave.testing.internal.ClassPathArtifacts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PAVE-011 (issue 12, item 2) on fixture class paths: real jars laid out as in a Maven
 * repository, each with its {@code pom.properties} (and, for a logging binding, the SLF4J
 * provider file), and on this JVM's own class path.
 */
class ClassPathRuleTest {

  private static final JavaClasses SOME_CLASSES = new ClassFileImporter().importClasses(CompliantService.class);

  @TempDir Path tmp;
  private final List<Path> classPath = new ArrayList<>();

  private EvaluationResult evaluate() {
    return classes().should(PlatformRules.haveAConsistentClassPath(() -> classPath)).evaluate(SOME_CLASSES);
  }

  private List<String> violations() {
    return evaluate().getFailureReport().getDetails();
  }

  @Test
  void aMixedGrpcFamily_failsNamingEachJarAndTheBom() throws IOException {
    jar("io.grpc", "grpc-core", "1.85.1");
    jar("io.grpc", "grpc-netty-shaded", "1.85.1");
    jar("io.grpc", "grpc-stub", "1.70.0");

    assertThat(violations()).singleElement().asString()
        .contains("class path mixes gRPC (io.grpc) versions 1.70.0, 1.85.1",
            "grpc-stub 1.70.0 (grpc-stub-1.70.0.jar)", "grpc-core 1.85.1 (grpc-core-1.85.1.jar)",
            "import io.grpc:grpc-bom", "dev.pave:sdk-bom");
  }

  @Test
  void openTelemetryAlphaArtifacts_belongToTheirStableVersion() throws IOException {
    jar("io.opentelemetry", "opentelemetry-api", "1.68.0");
    jar("io.opentelemetry", "opentelemetry-exporter-prometheus", "1.68.0-alpha");
    assertThat(violations()).isEmpty();

    jar("io.opentelemetry", "opentelemetry-sdk-extension-incubator", "1.43.0-alpha");
    assertThat(violations()).singleElement().asString()
        .contains("OpenTelemetry (io.opentelemetry) versions 1.43.0, 1.68.0",
            "opentelemetry-sdk-extension-incubator 1.43.0-alpha", "import io.opentelemetry:opentelemetry-bom");
  }

  @Test
  void jacksonPatchReleasesMix_minorReleasesDoNot() throws IOException {
    jar("com.fasterxml.jackson.core", "jackson-core", "2.21.3");
    jar("com.fasterxml.jackson.core", "jackson-annotations", "2.21");
    jar("com.fasterxml.jackson.core", "jackson-databind", "2.21.1");
    assertThat(violations()).isEmpty();

    jar("com.fasterxml.jackson.datatype", "jackson-datatype-jsr310", "2.18.0");
    assertThat(violations()).singleElement().asString()
        .contains("Jackson", "jackson-datatype-jsr310 2.18.0", "com.fasterxml.jackson:jackson-bom");
  }

  @Test
  void nettyTcnative_protobufAndMicrometer_areCheckedByTheirOwnRules() throws IOException {
    jar("io.netty", "netty-codec-http2", "4.2.17.Final");
    jar("io.netty", "netty-tcnative-boringssl-static", "2.0.70.Final"); // versioned on its own
    jar("io.micrometer", "micrometer-core", "1.17.2");
    jar("io.micrometer", "micrometer-tracing", "1.5.0"); // versioned on its own
    jar("com.google.protobuf", "protobuf-java", "3.25.9");
    assertThat(violations()).isEmpty();

    jar("io.micrometer", "micrometer-registry-prometheus", "1.13.0");
    jar("com.google.protobuf", "protobuf-java-util", "3.25.5");
    assertThat(violations()).hasSize(2)
        .anySatisfy(v -> assertThat(v).contains("Micrometer", "micrometer-registry-prometheus 1.13.0", "io.micrometer:micrometer-bom"))
        .anySatisfy(v -> assertThat(v).contains("protobuf", "protobuf-java-util 3.25.5", "com.google.protobuf:protobuf-bom"));
  }

  @Test
  void aSecondLoggingBackendOrBinding_fails() throws IOException {
    jar("ch.qos.logback", "logback-classic", "1.5.38", "META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
    assertThat(violations()).isEmpty();

    jar("org.slf4j", "slf4j-simple", "2.0.20", "META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
    jar("org.apache.logging.log4j", "log4j-core", "2.25.2");
    assertThat(violations())
        .anySatisfy(v -> assertThat(v).contains("org.apache.logging.log4j:log4j-core:2.25.2 (log4j-core-2.25.2.jar)",
            "a second logging backend", "exclude it"))
        .anySatisfy(v -> assertThat(v).contains("org.slf4j:slf4j-simple:2.0.20", "a second SLF4J binding"))
        .anySatisfy(v -> assertThat(v).contains("more than one SLF4J binding",
            "ch.qos.logback:logback-classic:1.5.38", "org.slf4j:slf4j-simple:2.0.20"));
  }

  @Test
  void aJarOutsideARepository_isToldByItsPomProperties_aShadedJarNotByWhatItContains() throws IOException {
    Path plain = Files.createDirectories(tmp.resolve("lib"));
    writeJar(plain.resolve("grpc-api-1.70.0.jar"), "io.grpc", "grpc-api", "1.70.0");
    // An uber-jar carrying another artifact's pom.properties is not that artifact.
    writeJar(plain.resolve("payments.jar"), "io.grpc", "grpc-core", "1.54.0");
    jar("io.grpc", "grpc-core", "1.85.1");

    assertThat(violations()).singleElement().asString()
        .contains("grpc-api 1.70.0 (grpc-api-1.70.0.jar)", "grpc-core 1.85.1").doesNotContain("1.54.0");
  }

  @Test
  void thisJvmsClassPath_hasOneVersionPerFamily() {
    assertThat(ClassPathArtifacts.scan(ClassPathArtifacts.jvmClassPath()))
        .extracting(ClassPathArtifacts.Artifact::artifactId)
        .contains("grpc-core", "opentelemetry-api", "logback-classic", "archunit");
    EvaluationResult result = PlatformRules.ONE_VERSION_PER_FAMILY.evaluate(SOME_CLASSES);
    assertThat(result.hasViolation()).as(String.join("\n", result.getFailureReport().getDetails())).isFalse();
    assertThat(PlatformRules.ONE_VERSION_PER_FAMILY.getDescription()).startsWith("[PAVE-011] ");
  }

  private void jar(String group, String artifact, String version, String... extraEntries) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("repository").resolve(group.replace('.', '/'))
        .resolve(artifact).resolve(version));
    Path jar = dir.resolve(artifact + "-" + version + ".jar");
    writeJar(jar, group, artifact, version, extraEntries);
    classPath.add(jar);
  }

  private void writeJar(Path jar, String group, String artifact, String version, String... extraEntries) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties"));
      out.write(("groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      for (String entry : extraEntries) {
        out.putNextEntry(new JarEntry(entry));
        out.write("x\n".getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    if (!classPath.contains(jar)) {
      classPath.add(jar);
    }
  }
}
