package io.kadmesh.cli.bench;

import io.kadmesh.client.KadmeshClient;
import io.kadmesh.client.SignedRecords;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.RecordKeys;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One phase of {@code kadmesh bench} for one kind of record: its names, values and nodes, drawn
 * from the seed, and what a put, a compare-and-put and a get are for that kind, as an application
 * would call them through {@link KadmeshClient}. Each operation answers whether it did what it
 * should: a write was kept by a replica, a read found the value last written.
 *
 * <p>Every kind draws the same values and nodes from the same seed, so the kinds differ only in
 * their records. The plain operations use the client's asynchronous calls; the client has only
 * blocking ones for signed and content records, which run on the executor given (the caller's
 * thread one at a time, C threads under load).
 */
abstract class Workload {
  /** One operation. {@link #CAS} is for signed records only. */
  enum Op {
    PUT("put"), CAS("cas"), GET("get");

    final String label;

    Op(String label) {
      this.label = label;
    }
  }

  /** The DER of an Ed25519 PrivateKeyInfo (RFC 8410 §7) before its 32 bytes. */
  private static final byte[] PKCS8_ED25519_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  final RecordKind kind;
  /** The names: a plain record's key, a signed record's name. */
  final String[] names;
  /** The DHT keys, which the lookups are traced by. */
  final NodeId[] ids;
  final byte[][] values;
  final int[] putNode;
  final int[] getNode;
  final BenchNodes mesh;
  /** The quorum a plain get asks for: 0 for the node's Get quorum. */
  int getQuorum;

  private Workload(RecordKind kind, BenchNodes mesh, Random random, String prefix, int n,
      int valueSize) {
    this.kind = kind;
    this.mesh = mesh;
    names = new String[n];
    ids = new NodeId[n];
    values = new byte[n][];
    putNode = new int[n];
    getNode = new int[n];
    int size = mesh.size();
    for (int i = 0; i < n; i++) {
      names[i] = prefix + i;
      values[i] = new byte[valueSize];
      random.nextBytes(values[i]);
      putNode[i] = random.nextInt(size);
      // Read through another node than the writer, when there is one.
      int g = size == 1 ? 0 : random.nextInt(size - 1);
      getNode[i] = size == 1 || g < putNode[i] ? g : g + 1;
    }
  }

  /**
   * The workload of {@code kind} for one phase: {@code n} operations of each op, names {@code
   * bench-<seed>-<phase>-<i>}; {@code owner} signs the signed records.
   */
  static Workload of(RecordKind kind, BenchNodes mesh, Random random, long seed, String phase,
      int n, int valueSize, KeyPair owner) {
    String prefix = "bench-" + seed + "-" + phase + "-";
    return switch (kind) {
      case PLAIN -> new Plain(mesh, random, prefix, n, valueSize);
      case SIGNED -> new Signed(mesh, random, prefix, n, valueSize, owner);
      case CONTENT -> new Content(mesh, random, prefix, n, valueSize);
      case ENDPOINT -> throw new IllegalArgumentException("the bench has no endpoint workload");
    };
  }

  /**
   * The owner of the signed records: an Ed25519 key pair whose 32-byte private key (RFC 8032's
   * seed) is drawn from the run's seed, so that two runs write the same keys.
   */
  static KeyPair owner(long seed) {
    byte[] pkcs8 = Arrays.copyOf(PKCS8_ED25519_PREFIX, PKCS8_ED25519_PREFIX.length + 32);
    byte[] privateKey = new byte[32];
    new Random(seed + 2).nextBytes(privateKey);
    System.arraycopy(privateKey, 0, pkcs8, PKCS8_ED25519_PREFIX.length, privateKey.length);
    try {
      return Ed25519Keys.keyPair(
          KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has Ed25519 since 15", e);
    }
  }

  /** This workload, its plain gets asking for {@code quorum} replicas (0: the node's quorum). */
  Workload readingQuorum(int quorum) {
    getQuorum = quorum;
    return this;
  }

  /** The operations of this kind, in the order they run. */
  abstract List<Op> ops();

  /** Runs operation {@code i} of {@code op}; blocking calls run on {@code blocking}. */
  abstract CompletableFuture<Boolean> run(Op op, int i, Executor blocking);

  /** What one put, compare-and-put and get of this kind consist of, for the output. */
  static String describe(RecordKind kind) {
    return switch (kind) {
      case PLAIN -> "put = KadmeshClient.putAsync (Put: FIND_NODE lookup, then STOREs); "
          + "get = getAsync (Get: FIND_VALUE lookup)";
      case SIGNED -> "one Ed25519 key pair for the run (from the seed) signs every name; "
          + "put = SignedRecords.put of a new name: GetSigned (FIND_VALUE lookup, nothing found), "
          + "then seq 1 signed by the client and PutSigned (FIND_NODE lookup, then STOREs); "
          + "cas = compareAndPut over the seq just written: seq 2 signed, one PutSigned with "
          + "expected_seq 1 (the node reads it with a FIND_VALUE lookup, then writes as a put); "
          + "get = getSigned (GetSigned: FIND_VALUE lookup), verified by the client";
      case CONTENT -> "put = putContent (the client hashes the value for the key it reports, "
          + "the node hashes it for the key it writes: FIND_NODE lookup, then STOREs); "
          + "get = getContent (FIND_VALUE lookup), the client checks the value's hash";
      case ENDPOINT -> throw new IllegalArgumentException("the bench has no endpoint workload");
    };
  }

  int size() {
    return names.length;
  }

  /** The node whose API port {@code op} goes through. */
  int node(Op op, int i) {
    return op == Op.GET ? getNode[i] : putNode[i];
  }

  /** A blocking call on {@code executor}; its failure completes the future exceptionally. */
  private static CompletableFuture<Boolean> call(Supplier<Boolean> op, Executor executor) {
    return CompletableFuture.supplyAsync(op, executor);
  }

  /** Put and Get of plain records. */
  private static final class Plain extends Workload {
    Plain(BenchNodes mesh, Random random, String prefix, int n, int valueSize) {
      super(RecordKind.PLAIN, mesh, random, prefix, n, valueSize);
      for (int i = 0; i < n; i++) ids[i] = NodeId.ofKey(names[i]);
    }

    @Override
    List<Op> ops() {
      return List.of(Op.PUT, Op.GET);
    }

    @Override
    CompletableFuture<Boolean> run(Op op, int i, Executor blocking) {
      return switch (op) {
        case PUT -> mesh.client(putNode[i]).putAsync(names[i], values[i])
            .thenApply(r -> r.replicas() >= 1);
        case GET -> (getQuorum == 0 ? mesh.client(getNode[i]).getAsync(names[i])
            : mesh.client(getNode[i]).getAsync(names[i], getQuorum))
            .thenApply(e -> e.isPresent() && Arrays.equals(e.get().value(), values[i]));
        case CAS -> throw new IllegalArgumentException("plain records have no compare-and-put");
      };
    }
  }

  /**
   * Signed records of one owner: a put of a new name, a compare-and-put over it with the seq the
   * put wrote, as a writer that knows its last seq does, and a get of the value it wrote.
   */
  private static final class Signed extends Workload {
    private final byte[] publicKey;
    /** The owner's writer on each node's client. */
    private final SignedRecords[] writers;
    /** The compare-and-put's values: each put's value with every bit flipped. */
    private final byte[][] updates;

    Signed(BenchNodes mesh, Random random, String prefix, int n, int valueSize, KeyPair owner) {
      super(RecordKind.SIGNED, mesh, random, prefix, n, valueSize);
      writers = new SignedRecords[mesh.size()];
      for (int m = 0; m < writers.length; m++) writers[m] = mesh.client(m).signedBy(owner);
      publicKey = writers[0].publicKey();
      updates = new byte[n][];
      for (int i = 0; i < n; i++) {
        ids[i] = NodeId.fromBytes(RecordKeys.signedKey(publicKey, names[i]));
        updates[i] = values[i].clone();
        for (int b = 0; b < updates[i].length; b++) updates[i][b] ^= (byte) 0xff;
      }
    }

    @Override
    List<Op> ops() {
      return List.of(Op.PUT, Op.CAS, Op.GET);
    }

    @Override
    CompletableFuture<Boolean> run(Op op, int i, Executor blocking) {
      int via = node(op, i);
      return call(() -> switch (op) {
        case PUT -> {
          var written = writers[via].put(names[i], values[i]);
          yield written.replicas() >= 1 && written.seq() == 1;
        }
        case CAS -> {
          var written = writers[via].compareAndPut(names[i], 1, updates[i]);
          yield written.replicas() >= 1 && written.seq() == 2;
        }
        case GET -> {
          var read = mesh.client(via).getSigned(publicKey, names[i]);
          yield read.found() && read.seq() == 2 && Arrays.equals(read.value(), updates[i]);
        }
      }, blocking);
    }
  }

  /** Content records: putContent of a value, getContent of its hash. */
  private static final class Content extends Workload {
    private final byte[][] keys;

    Content(BenchNodes mesh, Random random, String prefix, int n, int valueSize) {
      super(RecordKind.CONTENT, mesh, random, prefix, n, valueSize);
      keys = new byte[n][];
      for (int i = 0; i < n; i++) {
        keys[i] = RecordKeys.contentKey(values[i]);
        ids[i] = NodeId.fromBytes(keys[i]);
      }
    }

    @Override
    List<Op> ops() {
      return List.of(Op.PUT, Op.GET);
    }

    @Override
    CompletableFuture<Boolean> run(Op op, int i, Executor blocking) {
      KadmeshClient client = mesh.client(node(op, i));
      return call(() -> switch (op) {
        case PUT -> client.putContent(values[i]).replicas() >= 1;
        case GET -> client.getContent(keys[i])
            .map(e -> Arrays.equals(e.value(), values[i])).orElse(false);
        case CAS -> throw new IllegalArgumentException("content records have no compare-and-put");
      }, blocking);
    }
  }
}
