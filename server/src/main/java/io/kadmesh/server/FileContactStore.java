package io.kadmesh.server;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.storage.ContactStore;
import io.kadmesh.server.HostPort;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ContactStore} in two text files of a node's data directory, so that a restarted node
 * rejoins through the peers it knew and the bootstrap addresses it was given before.
 *
 * <p>{@code contacts} holds one contact a line after a header:
 * <pre>
 *   # kadmesh contacts v1
 *   &lt;node ID, 64 hex digits&gt; &lt;peer address HOST:PORT&gt;
 * </pre>
 * {@code bootstrap} holds one HOST:PORT a line after its own header. Each file is replaced
 * atomically (written beside it, synced, then renamed over it), so a crash leaves either the old
 * file or the new one, never half of one. Lines that do not parse are skipped with a warning.
 */
public final class FileContactStore implements ContactStore {
  static final String CONTACTS_HEADER = "# kadmesh contacts v1";
  static final String BOOTSTRAP_HEADER = "# kadmesh bootstrap v1";
  /** The file names in the data directory. */
  static final String CONTACTS_FILE = "contacts";
  static final String BOOTSTRAP_FILE = "bootstrap";
  private static final Logger log = LoggerFactory.getLogger(FileContactStore.class);

  private final Path contactsFile;
  private final Path bootstrapFile;

  public FileContactStore(Path directory) {
    this.contactsFile = directory.resolve(CONTACTS_FILE);
    this.bootstrapFile = directory.resolve(BOOTSTRAP_FILE);
  }

  Path contactsFile() {
    return contactsFile;
  }

  Path bootstrapFile() {
    return bootstrapFile;
  }

  @Override
  public List<Contact> contacts() throws IOException {
    return parse(contactsFile, "<64 hex digits> <HOST:PORT>", line -> {
      String[] fields = line.split("\\s+");
      if (fields.length != 2) {
        throw new IllegalArgumentException("expected an ID and an address");
      }
      HostPort.parse(fields[1]);
      return new Contact(NodeId.fromHex(fields[0]), fields[1]);
    });
  }

  @Override
  public synchronized void saveContacts(List<Contact> contacts) throws IOException {
    StringBuilder text = new StringBuilder(CONTACTS_HEADER).append('\n');
    for (Contact c : contacts) {
      text.append(c.id().toHex()).append(' ').append(c.address()).append('\n');
    }
    replace(contactsFile, text.toString());
  }

  @Override
  public List<String> bootstrapAddresses() throws IOException {
    return parse(bootstrapFile, "HOST:PORT", line -> HostPort.parse(line).toString());
  }

  @Override
  public synchronized void saveBootstrapAddresses(List<String> addresses) throws IOException {
    StringBuilder text = new StringBuilder(BOOTSTRAP_HEADER).append('\n');
    for (String a : addresses) {
      text.append(a).append('\n');
    }
    replace(bootstrapFile, text.toString());
  }

  /**
   * Each line of the file that is neither blank nor a comment, parsed; lines the parser refuses
   * (IllegalArgumentException) are skipped with one warning. None when there is no file.
   */
  private static <T> List<T> parse(Path file, String expected, Function<String, T> parser)
      throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<T> out = new ArrayList<>();
    int skipped = 0;
    for (String line : lines) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      try {
        out.add(parser.apply(s));
      } catch (IllegalArgumentException e) {
        skipped++;
      }
    }
    if (skipped > 0) {
      log.warn("{}: skipped {} lines that are not '{}'", file, skipped, expected);
    }
    return out;
  }

  private static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = StandardCharsets.UTF_8.encode(text);
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public String toString() {
    return "FileContactStore{" + contactsFile.getParent() + "}";
  }
}
