package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void object_withSpecialCharacters_escapesThemPerRfc8259() {
    String json = Json.object().field("s", "quote\" slash\\ tab\t nl\n bell\u0007 é").toString();

    assertThat(json).isEqualTo("{\"s\":\"quote\\\" slash\\\\ tab\\t nl\\n bell\\u0007 é\"}");
  }

  @Test
  void object_withNullNumbersAndNesting_keepsTheOrderOfFields() {
    String json =
        Json.object()
            .field("a", (String) null)
            .field("b", 7)
            .unsignedField("c", -1L)
            .field("d", Json.object())
            .toString();

    assertThat(json).isEqualTo("{\"a\":null,\"b\":7,\"c\":18446744073709551615,\"d\":{}}");
  }
}
