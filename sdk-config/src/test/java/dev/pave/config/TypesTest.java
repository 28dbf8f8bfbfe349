package dev.pave.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypesTest {

  enum Access { READ_ONLY, READ_WRITE }

  @TempDir Path tmp;

  private Config with(String key, String value) {
    return Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp"), Map.of()))
        .configDirectory(tmp.resolve("none"))
        .override(key, value)
        .build();
  }

  @ParameterizedTest
  @CsvSource({"250ms,PT0.25S", "5s,PT5S", "1m,PT1M", "2h,PT2H", "1d,PT24H", "PT5S,PT5S", "p1dt2h,PT26H", "100ns,PT0.0000001S", "10us,PT0.00001S"})
  void durationsAcceptShortUnitsAndIso8601(String text, String iso) {
    assertThat(with("d", text).get("d", Duration.class)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @CsvSource({"5x,unknown unit 'x'", "5,a bare number has no unit", "soon,expected a duration"})
  void badDurationsSayWhatWasExpected(String text, String expected) {
    assertThatThrownBy(() -> with("d", text).get("d", Duration.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("d [override]").hasMessageContaining(expected);
  }

  @ParameterizedTest
  @CsvSource({"512KiB,524288", "4MiB,4194304", "1GiB,1073741824", "1KB,1000", "100B,100", "2mb,2000000"})
  void dataSizesAcceptBinaryAndDecimalUnits(String text, long bytes) {
    assertThat(with("s", text).get("s", DataSize.class).toBytes()).isEqualTo(bytes);
  }

  @Test
  void dataSizeRoundTripsThroughToString() {
    assertThat(DataSize.parse("4MiB").toString()).isEqualTo("4MiB");
    assertThat(DataSize.parse(DataSize.ofBytes(1500).toString())).isEqualTo(DataSize.ofBytes(1500));
    assertThatThrownBy(() -> DataSize.parse("4 parsecs")).hasMessageContaining("unknown data size unit 'parsecs'");
  }

  @Test
  void scalarsConvert() {
    assertThat(with("i", " 42 ").get("i", Integer.class)).isEqualTo(42);
    assertThat(with("l", "10_000_000_000").get("l", Long.class)).isEqualTo(10_000_000_000L);
    assertThat(with("b", "TRUE").get("b", Boolean.class)).isTrue();
    assertThat(with("u", "https://h:1/p").get("u", URI.class)).isEqualTo(URI.create("https://h:1/p"));
    assertThat(with("e", "read-only").get("e", Access.class)).isEqualTo(Access.READ_ONLY);
  }

  @Test
  void yamlValuesStayTextUntilRead() {
    Config config = Config.builder()
        .classLoader(Fixtures.classpath(tmp.resolve("cp2"), Map.of("application.yaml", "mode: 0755\nflag: no\nname: ~\n")))
        .configDirectory(tmp.resolve("none"))
        .build();
    assertThat(config.get("mode")).isEqualTo("0755");
    assertThat(config.get("flag")).isEqualTo("no");
    assertThat(config.get("name")).isEqualTo("~");
    assertThatThrownBy(() -> config.get("flag", Boolean.class)).hasMessageContaining("expected a boolean: true or false, got 'no'");
  }

  @Test
  void malformedValuesOfSensitiveKeysAreNotEchoed() {
    assertThatThrownBy(() -> with("db.password", "hunter2").get("db.password", Integer.class))
        .hasMessageContaining("(value masked)").message().doesNotContain("hunter2");
  }
}
