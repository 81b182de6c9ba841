package io.kadmesh.jmh;

import io.kadmesh.core.NodeId;
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
 * The ID-space arithmetic that routing and lookups run constantly. Each call takes the next of
 * 1,024 random IDs (a masked counter), so branches see varied distances as they do in a lookup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NodeIdBenchmark {
  private static final int N = 1024;
  private static final int MASK = N - 1;

  private final NodeId[] ids = new NodeId[N];
  private final byte[][] bytes = new byte[N][];
  private final String[] keys = new String[N];
  private NodeId self;
  private int i;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    self = NodeId.random(random);
    for (int j = 0; j < N; j++) {
      ids[j] = NodeId.random(random);
      bytes[j] = NodeId.random(random).toBytes();
      keys[j] = "user:" + random.nextInt(1_000_000) + ":profile";
    }
  }

  private int next() {
    return i = (i + 1) & MASK;
  }

  @Benchmark
  public NodeId xor() {
    return self.xor(ids[next()]);
  }

  @Benchmark
  public int compareDistance() {
    int j = next();
    return self.compareDistance(ids[j], ids[(j + 1) & MASK]);
  }

  @Benchmark
  public int commonPrefixLength() {
    return self.commonPrefixLength(ids[next()]);
  }

  @Benchmark
  public NodeId fromBytes() {
    return NodeId.fromBytes(bytes[next()]);
  }

  @Benchmark
  public byte[] toBytes() {
    return ids[next()].toBytes();
  }

  /** SHA-256 of a key of about 18 UTF-8 bytes, as a put or get does once. */
  @Benchmark
  public NodeId ofKey() {
    return NodeId.ofKey(keys[next()]);
  }
}
