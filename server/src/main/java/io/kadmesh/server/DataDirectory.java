package io.kadmesh.server;

import io.kadmesh.core.NodeId;
import io.kadmesh.records.Ed25519Keys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.util.Optional;
import java.util.Random;

/**
 * A node's data directory: holds its ID, so that a restarted node keeps it, its contacts and
 * bootstrap addresses ({@link FileContactStore}), its Ed25519 key and announcements ({@link
 * FileAnnouncementStore}), and a lock, so that two nodes never share one directory. The records
 * live beside them, in a RocksDB database the node command opens.
 */
public final class DataDirectory implements AutoCloseable {
  private static final String NODE_ID_FILE = "node-id";
  private static final String LOCK_FILE = "LOCK.kadmesh";
  /** The node's Ed25519 private key (PKCS#8 PEM), which signs the endpoints it announces. */
  static final String NODE_KEY_FILE = "node-key.pem";

  private final Path path;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDirectory(Path path, FileChannel lockChannel, FileLock lock) {
    this.path = path;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Creates the directory if needed and locks it; fails if another node holds it. */
  public static DataDirectory open(Path path) throws IOException {
    Files.createDirectories(path);
    FileChannel channel = FileChannel.open(path.resolve(LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("data directory " + path + " is in use by another kadmesh node");
    }
    return new DataDirectory(path, channel, lock);
  }

  public Path path() {
    return path;
  }

  /** The node's contacts and bootstrap addresses, kept in this directory. */
  public FileContactStore contactStore() {
    return new FileContactStore(path);
  }

  /** The endpoints the node announces, kept in this directory. */
  public FileAnnouncementStore announcementStore() {
    return new FileAnnouncementStore(path);
  }

  /**
   * The node's Ed25519 key pair kept here; on first use a new one, written beside the file, synced
   * and renamed into place, so that a crash never leaves half a key. An existing key is never
   * overwritten: one that does not read is an IOException naming the file.
   */
  public KeyPair nodeKey() throws IOException {
    Path file = path.resolve(NODE_KEY_FILE);
    if (Files.exists(file)) {
      return Ed25519Keys.read(file);
    }
    KeyPair pair = Ed25519Keys.generate();
    Path tmp = path.resolve(NODE_KEY_FILE + ".tmp");
    Files.deleteIfExists(tmp); // a former run's, cut short before its rename
    Ed25519Keys.write(pair.getPrivate(), tmp);
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      out.force(true);
    }
    // The directory's lock keeps other nodes out, so the key file cannot appear meanwhile.
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(path);
    return pair;
  }

  /**
   * The node ID kept here; on first use {@code configured} or else a random one, written
   * atomically. A configured ID that differs from the kept one is refused: the data belongs to it.
   */
  public NodeId nodeId(Optional<NodeId> configured, Random random) throws IOException {
    Optional<String> hex = keptText();
    if (hex.isPresent()) {
      NodeId kept;
      try {
        kept = NodeId.fromHex(hex.get());
      } catch (IllegalArgumentException e) {
        throw new IOException(path.resolve(NODE_ID_FILE) + " does not hold a 64-hex-digit node ID", e);
      }
      if (configured.isPresent() && !configured.get().equals(kept)) {
        throw new IOException("--node-id " + configured.get().toHex() + " differs from the ID "
            + kept.toHex() + " kept in " + path + "; use another --data-dir");
      }
      return kept;
    }
    NodeId id = configured.orElseGet(() -> NodeId.random(random));
    write(id);
    return id;
  }

  /**
   * Keeps {@code id} as the node's ID from now on, whatever was kept before (under mutual TLS the
   * certificate names the ID); answers the ID it replaces, if another one was kept.
   */
  public Optional<NodeId> adoptNodeId(NodeId id) throws IOException {
    Optional<String> hex = keptText();
    if (hex.isPresent() && hex.get().equalsIgnoreCase(id.toHex())) {
      return Optional.empty();
    }
    write(id);
    try {
      return hex.map(NodeId::fromHex);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // an unreadable ID is replaced like any other
    }
  }

  /** The text of the kept ID file, stripped; empty when there is none. */
  private Optional<String> keptText() throws IOException {
    Path file = path.resolve(NODE_ID_FILE);
    return Files.exists(file)
        ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip())
        : Optional.empty();
  }

  private void write(NodeId id) throws IOException {
    Path tmp = path.resolve(NODE_ID_FILE + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap((id.toHex() + "\n").getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) out.write(bytes);
      // On disk before the rename makes it the ID: a power loss must not leave an empty file.
      out.force(true);
    }
    Files.move(tmp, path.resolve(NODE_ID_FILE), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(path);
  }

  /**
   * Makes a rename in {@code dir} durable: the new entry is in the directory's blocks, not only in
   * the page cache. Some systems (Windows) cannot open a directory; there the rename is as
   * durable as the file system makes it.
   */
  static void syncDirectory(Path dir) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException e) {
      return;
    }
    try (channel) {
      channel.force(true);
    } catch (IOException e) {
      // Linux and macOS sync a directory opened for reading; others may refuse, as above.
      if (!System.getProperty("os.name", "").startsWith("Windows")) throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
