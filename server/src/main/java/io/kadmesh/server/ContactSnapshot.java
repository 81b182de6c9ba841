package io.kadmesh.server;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.server.grpc.HostPort;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contacts of a node's routing table, kept in a file so that a restarted node rejoins through
 * the peers it knew even when its bootstrap addresses are gone.
 *
 * <p>The file is text, one contact a line after a header:
 * <pre>
 *   # kadmesh contacts v1
 *   &lt;node ID, 64 hex digits&gt; &lt;peer address HOST:PORT&gt;
 * </pre>
 * It is replaced atomically (written beside it, synced, then renamed over it), so a crash leaves
 * either the old snapshot or the new one, never half of one.
 */
public final class ContactSnapshot {
  static final String HEADER = "# kadmesh contacts v1";
  private static final Logger log = LoggerFactory.getLogger(ContactSnapshot.class);

  private final Path file;

  public ContactSnapshot(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The contacts in the file; none when there is no file. Lines that do not parse are skipped. */
  public List<Contact> read() throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<Contact> contacts = new ArrayList<>();
    int skipped = 0;
    for (String line : lines) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      String[] fields = s.split("\\s+");
      try {
        if (fields.length != 2) {
          throw new IllegalArgumentException("expected an ID and an address");
        }
        HostPort.parse(fields[1]);
        contacts.add(new Contact(NodeId.fromHex(fields[0]), fields[1]));
      } catch (IllegalArgumentException e) {
        skipped++;
      }
    }
    if (skipped > 0) {
      log.warn("{}: skipped {} lines that are not '<64 hex digits> <HOST:PORT>'", file, skipped);
    }
    return contacts;
  }

  /** Replaces the file with these contacts, atomically. */
  public void write(List<Contact> contacts) throws IOException {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (Contact c : contacts) {
      text.append(c.id().toHex()).append(' ').append(c.address()).append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public String toString() {
    return "ContactSnapshot{" + file + "}";
  }
}
