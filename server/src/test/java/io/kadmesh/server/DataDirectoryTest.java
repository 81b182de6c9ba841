package io.kadmesh.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
  @TempDir Path dir;

  @Test
  void nodeId_writtenOnFirstUse_isKeptAcrossOpens_andLeavesNoTemporaryFile() throws Exception {
    NodeId first;
    try (DataDirectory d = DataDirectory.open(dir)) {
      first = d.nodeId(Optional.empty(), new Random(1));
    }
    try (DataDirectory d = DataDirectory.open(dir)) {
      assertThat(d.nodeId(Optional.empty(), new Random(2))).isEqualTo(first);
    }
    assertThat(Files.readString(dir.resolve("node-id")).strip()).isEqualTo(first.toHex());
    assertThat(dir.resolve("node-id.tmp")).doesNotExist();
  }

  @Test
  void syncDirectory_ofAnExistingDirectory_succeeds() throws Exception {
    DataDirectory.syncDirectory(dir);
  }
}
