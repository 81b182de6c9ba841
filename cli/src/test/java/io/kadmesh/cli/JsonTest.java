package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  @Test
  void object_withAListOfObjects_writesAnArrayInTheListsOrder() {
    String json =
        Json.object()
            .field("xs", List.of(Json.object().field("i", 1), Json.object().field("i", 2)))
            .field("none", List.of())
            .toString();

    assertThat(json).isEqualTo("{\"xs\":[{\"i\":1},{\"i\":2}],\"none\":[]}");
  }
}
