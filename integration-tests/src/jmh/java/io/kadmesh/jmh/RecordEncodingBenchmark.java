package io.kadmesh.jmh;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.storage.RecordCodecAccess;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.server.grpc.ProtoCodecAccess;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One record with a 256-byte value, to bytes and back: as RocksDB stores it ({@code RecordCodec})
 * and as peers exchange it ({@code ProtoCodec} to a {@code PeerRecord}, serialized and parsed).
 * Both directions go from and to the core's {@link ValueRecord}, so the two are comparable.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordEncodingBenchmark {
  static final int VALUE_BYTES = 256;

  private ValueRecord record;
  private byte[] rocksDbBytes;
  private byte[] protoBytes;

  @Setup
  public void setUp() {
    Random random = new Random(3);
    byte[] value = new byte[VALUE_BYTES];
    random.nextBytes(value);
    long sequenceMicros = 1_700_000_000_000_000L + random.nextInt(1_000_000);
    Instant expiresAt = Instant.ofEpochSecond(1_700_086_400L, random.nextInt(1_000_000_000));
    record = ValueRecord.value(NodeId.ofKey("user:42:profile"), value,
        new Version(sequenceMicros, NodeId.random(random)), expiresAt);
    rocksDbBytes = RecordCodecAccess.encode(record);
    protoBytes = ProtoCodecAccess.encode(record).toByteArray();
  }

  @Benchmark
  public byte[] rocksDbEncode() {
    return RecordCodecAccess.encode(record);
  }

  @Benchmark
  public ValueRecord rocksDbDecode() {
    return RecordCodecAccess.decode(record.key(), rocksDbBytes);
  }

  @Benchmark
  public byte[] protobufEncode() {
    return ProtoCodecAccess.encode(record).toByteArray();
  }

  @Benchmark
  public ValueRecord protobufDecode() throws InvalidProtocolBufferException {
    return ProtoCodecAccess.decode(PeerRecord.parseFrom(protoBytes));
  }
}
