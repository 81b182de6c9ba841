package io.kadmesh.testing;

import io.kadmesh.core.NodeConfig;
import java.util.Objects;
import java.util.UUID;

/**
 * The options every mesh has; each implementation's builder adds its own. Defaults: 1 member,
 * {@link NodeConfig#defaults()}, seed 1, joins through the first running member.
 */
public abstract class MeshBuilder<B extends MeshBuilder<B, M>, M extends Mesh> {
  int size = 1;
  NodeConfig config = NodeConfig.defaults();
  long seed = 1;
  String networkPrefix = "mesh";
  JoinVia joinVia = JoinVia.FIRST;

  MeshBuilder() {}

  /** Members started together (member 0 alone, then the others one at a time). */
  public B size(int v) {
    if (v < minimumSize()) {
      throw new IllegalArgumentException("a mesh starts at least " + minimumSize() + " members: " + v);
    }
    size = v;
    return self();
  }

  /** What every member runs with; its network name is replaced by one of the mesh's own. */
  public B config(NodeConfig v) {
    config = Objects.requireNonNull(v, "config");
    return self();
  }

  /** Seeds node IDs, each node's randomness and every random choice of the mesh. */
  public B seed(long v) {
    seed = v;
    return self();
  }

  /**
   * The start of the mesh's network name, {@code PREFIX-<random UUID>}: nodes of another mesh on
   * this machine (a port reused after a test, a benchmark) are refused instead of merging into it.
   */
  public B networkPrefix(String v) {
    networkPrefix = Objects.requireNonNull(v, "networkPrefix");
    return self();
  }

  public B joinVia(JoinVia v) {
    joinVia = Objects.requireNonNull(v, "joinVia");
    return self();
  }

  /** Starts the members and answers once every one of them has joined. */
  public abstract M start();

  /** The configuration with the mesh's own network name. */
  NodeConfig meshConfig() {
    return config.toBuilder().network(networkPrefix + "-" + UUID.randomUUID()).build();
  }

  int minimumSize() {
    return 1;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
