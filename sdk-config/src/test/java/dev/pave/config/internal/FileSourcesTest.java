package dev.pave.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.config.Config;
import dev.pave.config.ConfigBuilder;
import dev.pave.config.ConfigException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two loads share the parse of the application.yaml inside the service's jar (issue 14: the
 * configuration was loaded twice at startup, once by Logback's configurator and once by sdk-core);
 * whatever can change is read by every load.
 */
class FileSourcesTest {

  @TempDir Path tmp;

  private ConfigBuilder sources(ClassLoader classpath, Path dir, Map<String, String> systemProperties) {
    return Config.builder().classLoader(classpath).configDirectory(dir).systemProperties(systemProperties);
  }

  private ClassLoader jar(String name, String applicationYaml) throws Exception {
    Path jar = tmp.resolve(name);
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("application.yaml"));
      out.write(applicationYaml.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
  }

  @Test
  void theJarsApplicationYamlIsReadOnce_whileSystemPropertiesAndDirectoriesAreReadByEveryLoad() throws Exception {
    ClassLoader cp = jar("service.jar", "app:\n  from-yaml: one\n  from-dir: yaml\n");
    Path dir = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(dir.resolve("app.from-dir"), "aaa");

    long before = FileSources.reads();
    try (Config first = sources(cp, dir, Map.of()).build()) {
      assertThat(first.get("app.from-yaml", String.class)).isEqualTo("one");
      assertThat(first.get("app.from-dir", String.class)).isEqualTo("aaa");
    }
    Files.writeString(dir.resolve("app.from-dir"), "bbb"); // same size, at once: no timestamp to trust
    try (Config second = sources(cp, dir, Map.of("app.from-main", "three")).build()) {
      assertThat(second.get("app.from-yaml", String.class)).isEqualTo("one");
      assertThat(second.entry("app.from-yaml").orElseThrow().source()).isEqualTo("classpath:application.yaml");
      assertThat(second.get("app.from-dir", String.class)).isEqualTo("bbb");
      assertThat(second.get("app.from-main", String.class)).isEqualTo("three");
    }
    assertThat(FileSources.reads() - before).as("application.yaml read and parsed by the first load only").isEqualTo(1);
  }

  @Test
  void aPlainFileOnTheClasspathIsReadByEveryLoad() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(root.resolve("application.yaml"), "app:\n  key: aaa\n");
    ClassLoader cp = new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    Path dir = tmp.resolve("no-dir");
    try (Config first = sources(cp, dir, Map.of()).build()) {
      assertThat(first.get("app.key", String.class)).isEqualTo("aaa");
    }
    Files.writeString(root.resolve("application.yaml"), "app:\n  key: bbb\n");
    try (Config second = sources(cp, dir, Map.of()).build()) {
      assertThat(second.get("app.key", String.class)).isEqualTo("bbb");
    }
  }

  @Test
  void aResourceWithAProblemIsReportedByEveryLoad() throws Exception {
    ClassLoader cp = jar("broken.jar", "app: [unclosed\n");
    Path dir = tmp.resolve("no-dir");
    for (int load = 0; load < 2; load++) {
      assertThatThrownBy(() -> sources(cp, dir, Map.of()).build())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("application.yaml");
    }
  }
}
