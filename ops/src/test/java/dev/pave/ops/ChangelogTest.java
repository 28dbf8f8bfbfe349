package dev.pave.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The release notes SREs read: every version of the SDK has its section in CHANGELOG.md. */
class ChangelogTest {

  @Test
  void theProjectVersionHasASectionInTheChangelog() throws Exception {
    // sdk-bom is the top of the POM hierarchy: its version is the SDK's version.
    String pom = Files.readString(Path.of("../sdk-bom/pom.xml"));
    Matcher version = Pattern.compile(
            "<artifactId>sdk-bom</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(pom);
    assertThat(version.find()).as("sdk-bom's version").isTrue();
    String changelog = Files.readString(Path.of("../CHANGELOG.md"));
    assertThat(changelog)
        .as("CHANGELOG.md needs a section '## %s' saying what the bump changes for services",
            version.group(1))
        .containsPattern("(?m)^## " + Pattern.quote(version.group(1)) + "\\s*$");
  }
}
