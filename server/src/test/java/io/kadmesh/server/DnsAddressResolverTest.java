package io.kadmesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DnsAddressResolverTest {
  private final DnsAddressResolver resolver = new DnsAddressResolver();

  @Test
  void anIpAddress_standsForItself() throws Exception {
    assertThat(resolver.resolve("10.1.2.3:7701").get(5, TimeUnit.SECONDS))
        .containsExactly("10.1.2.3:7701");
    assertThat(resolver.resolve("[::1]:7701").get(5, TimeUnit.SECONDS))
        .containsExactly("[0:0:0:0:0:0:0:1]:7701");
  }

  @Test
  void aName_standsForEachOfItsAddresses_withThePort() throws Exception {
    // localhost is in every hosts file; it may also have an IPv6 address.
    assertThat(resolver.resolve("localhost:7701").get(5, TimeUnit.SECONDS))
        .contains("127.0.0.1:7701")
        .allMatch(a -> a.endsWith(":7701"));
  }

  @Test
  void anAddressWithoutPort_failsSayingWhatIsWrong() {
    assertThatThrownBy(() -> resolver.resolve("localhost").get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("expected HOST:PORT");
  }
}
