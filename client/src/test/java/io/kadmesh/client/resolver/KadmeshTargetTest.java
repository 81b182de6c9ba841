package io.kadmesh.client.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KadmeshTargetTest {

  private static final Map<String, String> NO_ENV = Map.of();

  @Test
  void parse_withAuthority_watchesThatNode() {
    KadmeshTarget target = KadmeshTarget.parse(URI.create("kadmesh://10.0.0.5:7800/orders"), NO_ENV::get);

    assertThat(target).isEqualTo(new KadmeshTarget("10.0.0.5:7800", "orders"));
  }

  @Test
  void parse_withIpv6Authority_keepsItsBrackets() {
    KadmeshTarget target = KadmeshTarget.parse(URI.create("kadmesh://[::1]:7700/orders"), NO_ENV::get);

    assertThat(target.nodeAddress()).isEqualTo("[::1]:7700");
  }

  @Test
  void parse_withoutAuthority_takesKadmeshTargetFromTheEnvironment() {
    Map<String, String> env = Map.of("KADMESH_TARGET", "10.0.0.9:7700");

    KadmeshTarget target = KadmeshTarget.parse(URI.create("kadmesh:///orders"), env::get);

    assertThat(target).isEqualTo(new KadmeshTarget("10.0.0.9:7700", "orders"));
  }

  @Test
  void parse_withoutAuthorityOrEnvironment_usesTheDefaultApiAddress() {
    KadmeshTarget target = KadmeshTarget.parse(URI.create("kadmesh:///orders"), NO_ENV::get);

    assertThat(target.nodeAddress()).isEqualTo("127.0.0.1:7700");
  }

  @Test
  void parse_emptyService_isRefusedNamingTheLimit() {
    assertThatThrownBy(() -> KadmeshTarget.parse(URI.create("kadmesh:///"), NO_ENV::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 256 bytes");
  }

  @Test
  void parse_serviceOver256Bytes_isRefused() {
    URI target = URI.create("kadmesh:///" + "s".repeat(257));

    assertThatThrownBy(() -> KadmeshTarget.parse(target, NO_ENV::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 257");
  }

  @Test
  void parse_opaqueTarget_isRefusedShowingTheForm() {
    assertThatThrownBy(() -> KadmeshTarget.parse(URI.create("kadmesh:orders"), NO_ENV::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kadmesh:///SERVICE");
  }
}
