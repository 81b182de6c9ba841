package io.kadmesh.client.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class EndpointAddressesTest {

  @Test
  void parse_ipv4HostPort_givesThatSocketAddress() {
    InetSocketAddress address = EndpointAddresses.parse("10.0.0.7:8080");

    assertThat(address.isUnresolved()).isFalse();
    assertThat(address.getAddress().getHostAddress()).isEqualTo("10.0.0.7");
    assertThat(address.getPort()).isEqualTo(8080);
  }

  @Test
  void parse_ipv6InBrackets_givesAnIpv6SocketAddress() {
    InetSocketAddress address = EndpointAddresses.parse("[::1]:9000");

    assertThat(address.getAddress()).isInstanceOf(Inet6Address.class);
    assertThat(address.getAddress().isLoopbackAddress()).isTrue();
    assertThat(address.getPort()).isEqualTo(9000);
  }

  @Test
  void parse_hostName_looksItUp() {
    InetSocketAddress address = EndpointAddresses.parse("localhost:7000");

    assertThat(address.isUnresolved()).isFalse();
    assertThat(address.getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void parse_ipv6WithoutBrackets_isRefusedSayingBrackets() {
    assertThatThrownBy(() -> EndpointAddresses.parse("::1:9000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("brackets");
  }

  @Test
  void parse_missingOrOutOfRangePort_isRefusedNamingTheRange() {
    for (String bad : new String[] {"10.0.0.7", "10.0.0.7:", "10.0.0.7:0", "10.0.0.7:65536", "10.0.0.7:-1", "[::1]"}) {
      assertThatThrownBy(() -> EndpointAddresses.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad);
    }
    assertThatThrownBy(() -> EndpointAddresses.parse("10.0.0.7:99999")).hasMessageContaining("1 to 65535");
  }

  @Test
  void parse_bracketsAroundANonIpv6Host_isRefused() {
    assertThatThrownBy(() -> EndpointAddresses.parse("[example]:80"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IPv6");
  }

  @Test
  void parse_hostThatDoesNotResolve_isRefusedNamingIt() {
    assertThatThrownBy(() -> EndpointAddresses.parse("no-such-host.invalid:80"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-host.invalid");
  }
}
