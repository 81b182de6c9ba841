package io.kadmesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
  @Test
  void republishInterval_defaultsToOneHour_andSurvivesToBuilder() {
    assertThat(NodeConfig.defaults().republishInterval()).isEqualTo(Duration.ofHours(1));
    NodeConfig c = NodeConfig.builder().republishInterval(Duration.ofSeconds(5)).build();
    assertThat(c.toBuilder().build().republishInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void republishInterval_belowOneSecond_isRefused_namingTheField() {
    assertThatThrownBy(() -> NodeConfig.builder().republishInterval(Duration.ofMillis(500)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("republishInterval");
    assertThatThrownBy(() -> NodeConfig.builder().republishInterval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("republishInterval");
  }
}
