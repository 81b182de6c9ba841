package io.kadmesh.server;

import io.kadmesh.core.mesh.Announcement;
import io.kadmesh.core.mesh.AnnouncementStore;
import io.kadmesh.core.mesh.HealthCheck;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * An {@link AnnouncementStore} in one file of a node's data directory, {@code announcements}, in
 * {@link DataOutputStream}'s encoding (strings as length-prefixed modified UTF-8, integers
 * big-endian):
 * <pre>
 *   UTF  "kadmesh announcements v1"
 *   i64  the seq high-water mark
 *   i32  how many announcements follow, then per announcement:
 *        UTF service, UTF endpoint,
 *        i32 metadata pairs, per pair UTF key, UTF value,
 *        i64 ttl seconds, i32 ttl nanos,
 *        bool health checked, and if so: UTF health service, i64 interval seconds, i32 nanos
 * </pre>
 * The file is replaced atomically (written beside it, synced, then renamed over it), so a crash
 * leaves the old list or the new one. A file that does not read this way is an IOException naming
 * it; what it holds is checked against the limits again when the announcer restores it.
 */
public final class FileAnnouncementStore implements AnnouncementStore {
  static final String FILE = "announcements";
  static final String HEADER = "kadmesh announcements v1";
  /** More than any node keeps (256): a count beyond it means the file is not ours. */
  private static final int MAX_COUNT = 65_536;
  /** More pairs than an entry may carry (32), for the same reason. */
  private static final int MAX_PAIRS = 1024;

  private final Path file;

  public FileAnnouncementStore(Path directory) {
    this.file = directory.resolve(FILE);
  }

  Path file() {
    return file;
  }

  @Override
  public Saved load() throws IOException {
    InputStream raw;
    try {
      raw = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      return Saved.EMPTY;
    }
    try (DataInputStream in = new DataInputStream(raw)) {
      if (!HEADER.equals(in.readUTF())) {
        throw new IOException(file + " is not a kadmesh announcements file (its header differs)");
      }
      long highWater = in.readLong();
      int count = count(in.readInt(), MAX_COUNT, "announcements");
      List<Announcement> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(read(in));
      }
      if (in.read() != -1) {
        throw new IOException(file + " has bytes after its last announcement");
      }
      return new Saved(out, highWater);
    } catch (EOFException | UTFDataFormatException | IllegalArgumentException
        | java.time.DateTimeException | ArithmeticException e) {
      throw new IOException(file + " is cut short or corrupt: " + e, e);
    }
  }

  @Override
  public synchronized void save(Saved saved) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(HEADER);
      out.writeLong(saved.seqHighWater());
      out.writeInt(saved.announcements().size());
      for (Announcement a : saved.announcements()) {
        write(a, out);
      }
    }
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      // On disk before the rename makes it the list: a power loss must not leave half a file.
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void write(Announcement a, DataOutputStream out) throws IOException {
    out.writeUTF(a.service());
    out.writeUTF(a.endpoint());
    out.writeInt(a.metadata().size());
    for (var pair : a.metadata().entrySet()) {
      out.writeUTF(pair.getKey());
      out.writeUTF(pair.getValue());
    }
    writeDuration(a.ttl(), out);
    out.writeBoolean(a.healthCheck() != null);
    if (a.healthCheck() != null) {
      out.writeUTF(a.healthCheck().service());
      writeDuration(a.healthCheck().interval(), out);
    }
  }

  private Announcement read(DataInputStream in) throws IOException {
    String service = in.readUTF();
    String endpoint = in.readUTF();
    int pairs = count(in.readInt(), MAX_PAIRS, "metadata pairs");
    TreeMap<String, String> metadata = new TreeMap<>();
    for (int i = 0; i < pairs; i++) {
      metadata.put(in.readUTF(), in.readUTF());
    }
    Duration ttl = readDuration(in);
    HealthCheck check = in.readBoolean() ? new HealthCheck(in.readUTF(), readDuration(in)) : null;
    return new Announcement(service, endpoint, metadata, ttl, check);
  }

  private int count(int n, int max, String what) throws IOException {
    if (n < 0 || n > max) {
      throw new IOException(file + " claims " + n + " " + what);
    }
    return n;
  }

  private static void writeDuration(Duration d, DataOutputStream out) throws IOException {
    out.writeLong(d.getSeconds());
    out.writeInt(d.getNano());
  }

  private static Duration readDuration(DataInputStream in) throws IOException {
    return Duration.ofSeconds(in.readLong(), in.readInt());
  }

  @Override
  public String toString() {
    return "FileAnnouncementStore{" + file + "}";
  }
}
