package dev.pave.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pave.config.Config;
import dev.pave.config.ConfigBuilder;
import dev.pave.config.ConfigException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two loads of the same sources share one read of each file that did not change (issue 14: the
 * configuration was loaded twice at startup, once by Logback's configurator and once by sdk-core,
 * and the two could disagree); the environment and system properties are taken fresh each time.
 */
class FileSourcesTest {

  @TempDir Path tmp;

  private ConfigBuilder sources(ClassLoader classpath, Path dir, Map<String, String> systemProperties) {
    return Config.builder().classLoader(classpath).configDirectory(dir).systemProperties(systemProperties);
  }

  private ClassLoader classpath(String applicationYaml) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("cp"));
    Files.writeString(root.resolve("application.yaml"), applicationYaml);
    return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
  }

  @Test
  void aSecondLoadOfUnchangedFilesReadsNothing_butSeesSystemPropertiesSetInBetween() throws Exception {
    ClassLoader cp = classpath("app:\n  from-yaml: one\n");
    Path dir = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(dir.resolve("app.from-dir"), "two");

    long before = FileSources.reads();
    try (Config first = sources(cp, dir, Map.of()).build()) {
      assertThat(first.get("app.from-yaml", String.class)).isEqualTo("one");
      assertThat(first.get("app.from-dir", String.class)).isEqualTo("two");
    }
    assertThat(FileSources.reads() - before).as("the first load reads application.yaml and the directory").isEqualTo(2);

    try (Config second = sources(cp, dir, Map.of("app.from-main", "three")).build()) {
      assertThat(second.get("app.from-yaml", String.class)).isEqualTo("one");
      assertThat(second.get("app.from-dir", String.class)).isEqualTo("two");
      assertThat(second.get("app.from-main", String.class)).isEqualTo("three");
      assertThat(second.entry("app.from-dir").orElseThrow().source()).isEqualTo("file " + dir.resolve("app.from-dir").toAbsolutePath());
    }
    assertThat(FileSources.reads() - before).as("nothing read again").isEqualTo(2);
  }

  @Test
  void aChangedFileIsReadAgain_includingTheKubeletsSwapToContentOfTheSameSize() throws Exception {
    ClassLoader cp = classpath("app:\n  from-yaml: one\n");
    Path dir = Files.createDirectories(tmp.resolve("etc"));
    kubeletWrite(dir, "1", "aaa");
    try (Config first = sources(cp, dir, Map.of()).build()) {
      assertThat(first.get("app.key", String.class)).isEqualTo("aaa");
    }

    kubeletWrite(dir, "2", "bbb"); // same size; the swap gives new files
    long before = FileSources.reads();
    try (Config second = sources(cp, dir, Map.of()).build()) {
      assertThat(second.get("app.key", String.class)).isEqualTo("bbb");
    }
    assertThat(FileSources.reads() - before).as("the directory is read again, application.yaml is not").isEqualTo(1);

    Files.writeString(tmp.resolve("cp/application.yaml"), "app:\n  from-yaml: changed\n");
    try (Config third = sources(cp, dir, Map.of()).build()) {
      assertThat(third.get("app.from-yaml", String.class)).isEqualTo("changed");
    }
  }

  @Test
  void aFileWithAProblemIsReportedByEveryLoad() throws Exception {
    ClassLoader cp = classpath("app: [unclosed\n");
    Path dir = Files.createDirectories(tmp.resolve("etc"));
    for (int load = 0; load < 2; load++) {
      assertThatThrownBy(() -> sources(cp, dir, Map.of()).build())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("application.yaml");
    }
  }

  /** The kubelet's atomic writer: a fresh {@code ..<n>} directory, {@code ..data} swapped to it. */
  private static void kubeletWrite(Path volume, String n, String value) throws Exception {
    Path payload = Files.createDirectory(volume.resolve(".." + n));
    Files.writeString(payload.resolve("app.key"), value);
    Path tmp = volume.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, Path.of(".." + n));
    Files.move(tmp, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (!Files.isSymbolicLink(volume.resolve("app.key"))) {
      Files.createSymbolicLink(volume.resolve("app.key"), Path.of("..data/app.key"));
    }
  }
}
