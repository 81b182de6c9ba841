package io.kadmesh.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kadmesh.core.mesh.Announcement;
import io.kadmesh.core.mesh.AnnouncementStore;
import io.kadmesh.core.mesh.HealthCheck;
import io.kadmesh.proto.v1.AnnounceRequest;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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

/**
 * An {@link AnnouncementStore} in one file of a node's data directory, {@code announcements}:
 * <pre>
 *   UTF "kadmesh announcements v1"   (Java's modified UTF-8, length-prefixed)
 *   i64 the seq high-water mark
 *   i32 how many announcements follow
 *   per announcement, a length-delimited kadmesh.v1.AnnounceRequest (its ttl and health check
 *   interval always set)
 * </pre>
 * The file is replaced atomically (written beside it, synced, then renamed over it), so a crash
 * leaves the old list or the new one. A file that does not read this way is an IOException naming it.
 */
public final class FileAnnouncementStore implements AnnouncementStore {
  static final String FILE = "announcements";
  static final String HEADER = "kadmesh announcements v1";
  /** More than any node keeps (256): a count beyond it means the file is not ours. */
  private static final int MAX_COUNT = 65_536;

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
      int count = in.readInt();
      if (count < 0 || count > MAX_COUNT) {
        throw new IOException(file + " claims " + count + " announcements");
      }
      List<Announcement> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        AnnounceRequest request = AnnounceRequest.parseDelimitedFrom(in);
        if (request == null) {
          throw new EOFException();
        }
        out.add(announcement(request));
      }
      return new Saved(out, highWater);
    } catch (EOFException | InvalidProtocolBufferException e) {
      throw new IOException(file + " is cut short or corrupt: " + e.getMessage(), e);
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
        request(a).writeDelimitedTo(out);
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

  static AnnounceRequest request(Announcement a) {
    AnnounceRequest.Builder request = AnnounceRequest.newBuilder()
        .setService(a.service())
        .setEndpoint(a.endpoint())
        .putAllMetadata(a.metadata())
        .setTtl(duration(a.ttl()));
    a.health().ifPresent(check -> request.setHealthCheck(io.kadmesh.proto.v1.HealthCheck.newBuilder()
        .setService(check.service())
        .setInterval(duration(check.interval()))));
    return request.build();
  }

  static Announcement announcement(AnnounceRequest request) {
    HealthCheck check = request.hasHealthCheck()
        ? new HealthCheck(request.getHealthCheck().getService(),
            duration(request.getHealthCheck().getInterval()))
        : null;
    return Announcement.of(request.getService(), request.getEndpoint(), request.getMetadataMap(),
        duration(request.getTtl()), check);
  }

  private static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano())
        .build();
  }

  private static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  @Override
  public String toString() {
    return "FileAnnouncementStore{" + file + "}";
  }
}
