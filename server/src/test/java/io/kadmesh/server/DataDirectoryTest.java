package io.kadmesh.server;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.NodeId;
import io.kadmesh.records.Ed25519Keys;
import java.io.IOException;
import java.security.KeyPair;
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
  void nodeKey_createdOnFirstUse_isTheSameKeyOnLaterOpens_ownerOnly_andLeavesNoTemporaryFile()
      throws Exception {
    KeyPair first;
    try (DataDirectory d = DataDirectory.open(dir)) {
      first = d.nodeKey();
    }
    try (DataDirectory d = DataDirectory.open(dir)) {
      assertThat(Ed25519Keys.raw(d.nodeKey().getPublic())).isEqualTo(Ed25519Keys.raw(first.getPublic()));
    }
    assertThat(dir.resolve("node-key.pem.tmp")).doesNotExist();
    assertThat(Files.getPosixFilePermissions(dir.resolve("node-key.pem")))
        .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
  }

  @Test
  void nodeKey_thatDoesNotRead_isAnIOExceptionNamingTheFile_andIsNotOverwritten() throws Exception {
    Files.writeString(dir.resolve("node-key.pem"), "not a key");
    try (DataDirectory d = DataDirectory.open(dir)) {
      assertThatThrownBy(d::nodeKey).isInstanceOf(IOException.class).hasMessageContaining("node-key.pem");
    }
    assertThat(Files.readString(dir.resolve("node-key.pem"))).isEqualTo("not a key");
  }

  @Test
  void syncDirectory_ofAnExistingDirectory_succeeds() throws Exception {
    DataDirectory.syncDirectory(dir);
  }
}
