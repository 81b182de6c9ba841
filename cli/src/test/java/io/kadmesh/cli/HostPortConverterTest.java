package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class HostPortConverterTest {

  private final HostPortConverter converter = new HostPortConverter();

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:7700", "node-1.example.org:7701", "[::1]:7700", "localhost:1"})
  void convert_hostAndPort_isAccepted(String address) {
    assertThat(converter.convert(address)).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "127.0.0.1:", ":7700", "host:port", "host:70000", "::1:7700", "a b:1"})
  void convert_otherText_throwsTypeConversionException(String address) {
    assertThatThrownBy(() -> converter.convert(address))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("expected HOST:PORT");
  }
}
