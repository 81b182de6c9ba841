package io.kadmesh.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContactStoreTest {
  @TempDir Path dir;
  private final Random random = new Random(5);

  private List<Contact> contacts(int n, String host) {
    List<Contact> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Contact(NodeId.random(random), host + ":" + (7000 + i)));
    }
    return out;
  }

  @Test
  void write_thenRead_givesTheSameContactsInOrder_ipv6Included() throws Exception {
    FileContactStore snapshot = new FileContactStore(dir);
    List<Contact> written = new ArrayList<>(contacts(20, "127.0.0.1"));
    written.add(new Contact(NodeId.random(random), "[::1]:7701"));
    written.add(new Contact(NodeId.random(random), "node-7.example.org:7701"));

    snapshot.saveContacts(written);

    assertThat(snapshot.contacts()).containsExactlyElementsOf(written);
    assertThat(Files.readAllLines(snapshot.contactsFile())).first().isEqualTo(FileContactStore.CONTACTS_HEADER);
  }

  @Test
  void read_ofAMissingFile_isEmpty() throws Exception {
    assertThat(new FileContactStore(dir.resolve("none")).contacts()).isEmpty();
    assertThat(new FileContactStore(dir.resolve("none")).bootstrapAddresses()).isEmpty();
  }

  @Test
  void write_replacesTheWholeFile_andLeavesNoTemporaryFileBehind() throws Exception {
    FileContactStore snapshot = new FileContactStore(dir);
    snapshot.saveContacts(contacts(50, "10.0.0.1"));
    List<Contact> fewer = contacts(2, "10.0.0.2");

    snapshot.saveContacts(fewer);

    assertThat(snapshot.contacts()).containsExactlyElementsOf(fewer);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("contacts");
    }
  }

  @Test
  void readersDuringRewrites_alwaysSeeACompleteSnapshot_neverAPartialOne() throws Exception {
    FileContactStore snapshot = new FileContactStore(dir);
    List<Contact> small = contacts(3, "10.0.0.1");
    List<Contact> large = contacts(500, "10.0.0.2");
    snapshot.saveContacts(small);
    AtomicBoolean done = new AtomicBoolean();
    List<Integer> sizesSeen = new ArrayList<>();
    Thread reader = new Thread(() -> {
      while (!done.get()) {
        try {
          sizesSeen.add(snapshot.contacts().size());
        } catch (Exception e) {
          sizesSeen.add(-1);
        }
      }
    });
    reader.start();
    for (int i = 0; i < 100; i++) {
      snapshot.saveContacts(i % 2 == 0 ? large : small);
    }
    done.set(true);
    reader.join();

    assertThat(sizesSeen).isNotEmpty().allMatch(n -> n == 3 || n == 500);
  }

  @Test
  void bootstrapAddresses_savedThenRead_areTheSame_andLeaveTheContactsAlone() throws Exception {
    FileContactStore store = new FileContactStore(dir);
    store.saveContacts(contacts(2, "10.0.0.3"));

    store.saveBootstrapAddresses(List.of("10.0.0.1:7701", "[::1]:7701", "seed.example.org:7701"));

    assertThat(store.bootstrapAddresses())
        .containsExactly("10.0.0.1:7701", "[::1]:7701", "seed.example.org:7701");
    assertThat(store.contacts()).hasSize(2);
    assertThat(Files.readAllLines(store.bootstrapFile())).first()
        .isEqualTo(FileContactStore.BOOTSTRAP_HEADER);
  }

  @Test
  void read_skipsLinesThatDoNotParse_andKeepsTheRest() throws Exception {
    Path file = dir.resolve("contacts");
    NodeId id = NodeId.random(random);
    Files.writeString(file, String.join("\n",
        FileContactStore.CONTACTS_HEADER,
        "",
        "not-a-node-id 127.0.0.1:1",
        id.toHex() + " no-port",
        id.toHex(),
        id.toHex() + "  127.0.0.1:7701  ",
        "0f" + " 127.0.0.1:2") + "\n", StandardCharsets.UTF_8);

    assertThat(new FileContactStore(dir).contacts()).containsExactly(new Contact(id, "127.0.0.1:7701"));
  }
}
