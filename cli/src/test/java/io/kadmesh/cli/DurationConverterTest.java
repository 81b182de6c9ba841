package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  @ParameterizedTest
  @CsvSource({
    "30s, PT30S",
    "5m, PT5M",
    "2h, PT2H",
    "7d, PT168H",
    "250ms, PT0.25S",
    "1h30m, PT1H30M",
    "PT30S, PT30S",
    "P1D, PT24H",
    "pt1m, PT1M"
  })
  void parse_acceptedForm_givesTheDuration(String text, String iso) {
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "s", "5 m", "1w", "-5s", "PTx", "ten seconds"})
  void parse_otherText_throwsTypeConversionExceptionShowingTheForms(String text) {
    assertThatThrownBy(() -> DurationConverter.parse(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("use e.g. 30s, 5m, 2h, 7d or PT30S");
  }

  @Test
  void positive_ofZero_throwsTypeConversionException() {
    assertThatThrownBy(() -> new DurationConverter.Positive().convert("PT0S"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("must be positive");
  }

  @ParameterizedTest
  @CsvSource({"PT10S, 10s", "PT0.1S, 100ms", "PT1H2M3S, 1h 2m 3s", "P2DT5M, 2d 5m", "PT0S, 0s"})
  void format_givesTheShortForm(String iso, String text) {
    assertThat(DurationConverter.format(Duration.parse(iso))).isEqualTo(text);
  }
}
