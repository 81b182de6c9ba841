package io.kadmesh.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void isValid_ofCommonAndOddAddresses_isWhetherParseAccepts() {
    for (String a : new String[] {"127.0.0.1:7000", "node-1:65535", "h:0", "h:65536", "h:99999",
        "h:123456", ":80", "h:", "[::1]:80", "::1:80", "[]:80", "h:+80", "h:-0", "h:-1",
        "h:\u0661\u0662", "a:b:80"}) {
      assertThat(HostPort.isValid(a)).as(a).isEqualTo(parses(a));
    }
    assertThat(HostPort.isValid("127.0.0.1:7000")).isTrue();
    assertThat(HostPort.isValid("h:65536")).isFalse();
  }

  @Test
  void isValid_ofRandomAddresses_isWhetherParseAccepts() {
    Random random = new Random(7);
    String alphabet = "0123456789:[]+-a.\u0661";
    for (int n = 0; n < 100_000; n++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(12);
      for (int i = 0; i < length; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      String a = b.toString();
      assertThat(HostPort.isValid(a)).as(a).isEqualTo(parses(a));
    }
  }

  private static boolean parses(String address) {
    try {
      HostPort.parse(address);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
