package dev.pave.testing.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Maven artifacts on a class path, and what is wrong with their mix (conformance rule
 * PAVE-011). Written here rather than taken from a library: the rule must run inside a service's
 * unit-test JVM with nothing but the class path to go on (no Maven model, no resolver), which no
 * well-kept library does; the Maven enforcer's dependency rules, which see the model, run at build
 * time in sdk-parent.
 *
 * <p>An artifact's coordinates come from its path in a Maven repository
 * ({@code .../<group path>/<artifactId>/<version>/<artifactId>-<version>.jar}), else from the
 * jar's own {@code META-INF/maven/<group>/<artifact>/pom.properties} (the one matching the file
 * name, so that a shaded jar is not taken for the artifacts it contains). Directories and jars
 * with neither are skipped.
 */
public final class ClassPathArtifacts {

  /** One jar on the class path. */
  public record Artifact(String groupId, String artifactId, String version, Path file, boolean slf4jProvider) {
    String coordinates() {
      return groupId + ":" + artifactId + ":" + version;
    }

    String describe() {
      return artifactId + " " + version + " (" + file.getFileName() + ")";
    }
  }

  /** A family of artifacts released together, which must be on one version. */
  private record Family(String name, String bom, java.util.function.Predicate<Artifact> member,
      java.util.function.Function<String, String> versionKey) {}

  private static final List<Family> FAMILIES = List.of(
      new Family("OpenTelemetry (io.opentelemetry)", "io.opentelemetry:opentelemetry-bom",
          a -> a.groupId().equals("io.opentelemetry"), v -> v.replaceFirst("-alpha$", "")),
      new Family("gRPC (io.grpc)", "io.grpc:grpc-bom",
          a -> a.groupId().equals("io.grpc"), v -> v),
      new Family("Netty (io.netty)", "io.netty:netty-bom",
          a -> a.groupId().equals("io.netty") && !a.artifactId().startsWith("netty-tcnative")
              && !a.artifactId().startsWith("netty-incubator"), v -> v),
      // jackson-annotations is versioned major.minor since 2.20; patch releases mix by design.
      new Family("Jackson (com.fasterxml.jackson)", "com.fasterxml.jackson:jackson-bom",
          a -> a.groupId().startsWith("com.fasterxml.jackson."), ClassPathArtifacts::majorMinor),
      new Family("protobuf (com.google.protobuf)", "com.google.protobuf:protobuf-bom",
          a -> a.groupId().equals("com.google.protobuf") && a.artifactId().startsWith("protobuf-"), v -> v),
      new Family("Micrometer (io.micrometer)", "io.micrometer:micrometer-bom",
          a -> a.groupId().equals("io.micrometer") && a.artifactId().startsWith("micrometer-")
              && !a.artifactId().startsWith("micrometer-tracing") && !a.artifactId().startsWith("micrometer-docs"),
          v -> v));

  /** Logging backends and bindings that compete with sdk-logging's Logback and bridges. */
  private static final Map<String, String> SECOND_BACKENDS = Map.ofEntries(
      Map.entry("org.apache.logging.log4j:log4j-core", "a second logging backend (Log4j 2)"),
      Map.entry("org.apache.logging.log4j:log4j-slf4j-impl", "routes SLF4J to Log4j 2"),
      Map.entry("org.apache.logging.log4j:log4j-slf4j2-impl", "routes SLF4J to Log4j 2"),
      Map.entry("org.slf4j:slf4j-simple", "a second SLF4J binding"),
      Map.entry("org.slf4j:slf4j-nop", "a second SLF4J binding"),
      Map.entry("org.slf4j:slf4j-jdk14", "a second SLF4J binding"),
      Map.entry("org.slf4j:slf4j-reload4j", "a second SLF4J binding"),
      Map.entry("org.slf4j:slf4j-log4j12", "a second SLF4J binding"),
      Map.entry("ch.qos.reload4j:reload4j", "a second logging backend (reload4j)"),
      Map.entry("log4j:log4j", "a second logging backend (Log4j 1)"),
      Map.entry("commons-logging:commons-logging", "the classes jcl-over-slf4j replaces, twice on the class path"));

  private static final Pattern REPOSITORY_PATH = Pattern.compile(
      "(?<group>.+)/(?<artifact>[^/]+)/(?<version>[^/]+)/\\k<artifact>-\\k<version>(-[^/]+)?\\.jar");

  private ClassPathArtifacts() {}

  /** The class path of this JVM, with a manifest-only jar's {@code Class-Path} expanded. */
  public static List<Path> jvmClassPath() {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(Path.of(entry));
      }
    }
    List<Path> expanded = new ArrayList<>(entries);
    for (Path entry : entries) {
      expanded.addAll(manifestClassPath(entry));
    }
    return List.copyOf(new LinkedHashSet<>(expanded));
  }

  private static List<Path> manifestClassPath(Path jar) {
    if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
      return List.of();
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      String classPath = file.getManifest() == null ? null
          : file.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (classPath == null || classPath.isBlank()) {
        return List.of();
      }
      List<Path> paths = new ArrayList<>();
      for (String url : classPath.trim().split("\\s+")) {
        try {
          paths.add(Path.of(jar.getParent().toUri().resolve(url)));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
          // not a file URL: not a jar this rule can read
        }
      }
      return paths;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The artifacts among {@code entries} whose coordinates can be told. */
  public static List<Artifact> scan(List<Path> entries) {
    List<Artifact> artifacts = new ArrayList<>();
    for (Path entry : entries) {
      if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
        read(entry).ifPresent(artifacts::add);
      }
    }
    return artifacts;
  }

  private static Optional<Artifact> read(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      boolean provider = file.getEntry("META-INF/services/org.slf4j.spi.SLF4JServiceProvider") != null
          || file.getEntry("org/slf4j/impl/StaticLoggerBinder.class") != null;
      Matcher layout = REPOSITORY_PATH.matcher(jar.toAbsolutePath().toString().replace(File.separatorChar, '/'));
      if (layout.find()) {
        String group = groupFromPath(layout.group("group"), file, layout.group("artifact"));
        if (group != null) {
          return Optional.of(new Artifact(group, layout.group("artifact"), layout.group("version"), jar, provider));
        }
      }
      String fileName = jar.getFileName().toString();
      for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
        String name = entry.getName();
        if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
          Properties pom = new Properties();
          try (InputStream in = file.getInputStream(entry)) {
            pom.load(in);
          }
          String artifactId = pom.getProperty("artifactId");
          String version = pom.getProperty("version");
          if (artifactId != null && version != null && fileName.startsWith(artifactId + "-" + version)) {
            return Optional.of(new Artifact(pom.getProperty("groupId"), artifactId, version, jar, provider));
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar + " on the class path", e);
    }
  }

  /**
   * The groupId from a repository path: the directories under the repository root. Where the root
   * is, the jar's own pom.properties tells; without one, the longest suffix of the path that a
   * known family's group matches.
   */
  private static String groupFromPath(String beforeArtifact, JarFile file, String artifactId) throws IOException {
    for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
      String name = entry.getName();
      if (name.startsWith("META-INF/maven/") && name.endsWith("/" + artifactId + "/pom.properties")) {
        String group = name.substring("META-INF/maven/".length(), name.length() - artifactId.length() - "/pom.properties".length() - 1);
        if (beforeArtifact.endsWith("/" + group.replace('.', '/'))) {
          return group;
        }
      }
    }
    String path = beforeArtifact;
    int repository = path.lastIndexOf("/repository/");
    return repository < 0 ? null : path.substring(repository + "/repository/".length()).replace('/', '.');
  }

  /**
   * What is wrong with this mix: one line per family on more than one version (naming each
   * artifact, its version and jar, and the BOM to import), one per competing logging backend,
   * and one when more than one jar provides an SLF4J binding. Empty when nothing is.
   */
  public static List<String> problems(List<Artifact> artifacts) {
    List<String> problems = new ArrayList<>();
    for (Family family : FAMILIES) {
      Map<String, List<Artifact>> byVersion = new TreeMap<>();
      for (Artifact artifact : artifacts) {
        if (family.member().test(artifact)) {
          byVersion.computeIfAbsent(family.versionKey().apply(artifact.version()), v -> new ArrayList<>()).add(artifact);
        }
      }
      if (byVersion.size() > 1) {
        StringBuilder line = new StringBuilder("class path mixes ").append(family.name()).append(" versions ")
            .append(String.join(", ", byVersion.keySet())).append(": ");
        List<String> described = new ArrayList<>();
        byVersion.values().forEach(list -> list.stream().sorted(Comparator.comparing(Artifact::artifactId))
            .forEach(a -> described.add(a.describe())));
        line.append(String.join(", ", described))
            .append("; import ").append(family.bom())
            .append(" (or dev.pave:sdk-bom, which manages every family Pave is built on) so that one version wins,"
                + " and remove the <version> from these dependencies");
        problems.add(line.toString());
      }
    }
    for (Artifact artifact : artifacts) {
      String why = SECOND_BACKENDS.get(artifact.groupId() + ":" + artifact.artifactId());
      if (why != null) {
        problems.add(artifact.coordinates() + " (" + artifact.file().getFileName() + ") is on the class path: " + why
            + "; sdk-logging owns Logback and bridges java.util.logging, commons-logging and Log4j's API to SLF4J;"
            + " exclude it from the dependency that brings it (mvn dependency:tree -Dincludes="
            + artifact.groupId() + ":" + artifact.artifactId() + ")");
      }
    }
    Map<String, Artifact> providers = new LinkedHashMap<>();
    artifacts.stream().filter(Artifact::slf4jProvider).forEach(a -> providers.put(a.coordinates(), a));
    if (providers.size() > 1) {
      List<String> described = new ArrayList<>();
      providers.values().forEach(a -> described.add(a.coordinates() + " (" + a.file().getFileName() + ")"));
      problems.add("more than one SLF4J binding on the class path: " + String.join(", ", described)
          + "; SLF4J uses the first it finds, so log lines may bypass sdk-logging (no JSON, no trace_id, no redaction);"
          + " keep only ch.qos.logback:logback-classic (brought by sdk-logging)");
    }
    return problems;
  }

  private static String majorMinor(String version) {
    Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version);
    return m.find() ? m.group(1) + "." + m.group(2) : version;
  }
}
