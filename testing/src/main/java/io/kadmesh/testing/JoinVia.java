package io.kadmesh.testing;

import java.util.List;
import java.util.Random;

/** Which running member a node joins through, when the mesh starts and when one is added. */
public enum JoinVia {
  /** The first running member (member 0 while it runs): every node bootstraps from one place. */
  FIRST,
  /** A running member chosen at random with the mesh's seed: as an operator rolls nodes out. */
  RANDOM;

  /** The member to join through, among {@code running} (not empty). */
  int choose(List<Integer> running, Random random) {
    return this == FIRST ? running.get(0) : running.get(random.nextInt(running.size()));
  }
}
