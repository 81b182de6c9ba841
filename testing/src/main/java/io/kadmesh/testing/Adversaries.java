package io.kadmesh.testing;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.sim.ForwardingPeerHandler;
import io.kadmesh.core.sim.PeerHandler;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Members of a {@link SimulatedMesh} that lie to their peers. Each stays a real node that answers
 * pings as itself, so honest tables keep it and lookups ask it; only its answers to the other RPCs
 * change, in the network rather than in the node (the core runs unmodified on both sides).
 *
 * <p>Forged contacts are fresh random IDs sharing 64 to 127 leading bits with the target, closer
 * than any real node of a network under 2^64 nodes, so a lookup ranks them first; their addresses
 * are silent in the {@link InMemoryNetwork} (a host that never answers), so each costs its asker
 * a timeout rather than a quick refusal. The liars coordinate only by lying the same way.
 */
public final class Adversaries {
  /** How a liar answers. */
  public enum Lie {
    /**
     * FindNode and FindValue answer k forged contacts at dead addresses, and FindValue never the
     * record (an attacker steering lookups away from the real neighbourhood).
     */
    FORGE_CONTACTS,
    /**
     * Store answers "stored" and keeps nothing; FindValue answers the liar's true closest contacts
     * and never a record (a replica that swallows what it was given).
     */
    DROP_STORES
  }

  /** The fewest leading bits a forged ID shares with the target it answers. */
  private static final int FORGED_PREFIX_MIN = 64;

  private final InMemoryNetwork network;
  private final int k;
  private final Set<Lie> lies;
  private final Random random;
  private final BitSet liars = new BitSet();
  private final List<Integer> honest = new ArrayList<>();
  private long forgedAnswers;
  private long droppedStores;
  private long forgedAddresses;

  private Adversaries(SimulatedMesh mesh, Set<Lie> lies, Random random) {
    this.network = mesh.network();
    this.k = mesh.config().k();
    this.lies = lies.isEmpty() ? EnumSet.noneOf(Lie.class) : EnumSet.copyOf(lies);
    this.random = random;
  }

  /**
   * Turns {@code round(fraction × running)} running members of {@code mesh}, chosen with
   * {@code random}, into liars of the kinds in {@code lies}. The mesh runs on one thread (virtual
   * time); so do the liars and their counts.
   */
  public static Adversaries choose(SimulatedMesh mesh, double fraction, Set<Lie> lies,
      Random random) {
    if (fraction < 0 || fraction >= 1) {
      throw new IllegalArgumentException("fraction of liars must be in [0, 1): " + fraction);
    }
    Adversaries a = new Adversaries(mesh, lies, random);
    List<Integer> members = new ArrayList<>(mesh.running());
    Collections.shuffle(members, random);
    int count = (int) Math.round(fraction * members.size());
    for (int i = 0; i < members.size(); i++) {
      int member = members.get(i);
      if (i < count) {
        a.liars.set(member);
        a.network.register(a.new Liar(mesh.node(member)));
      } else {
        a.honest.add(member);
      }
    }
    Collections.sort(a.honest);
    return a;
  }

  public boolean isLiar(int member) {
    return liars.get(member);
  }

  public int count() {
    return liars.cardinality();
  }

  /** The members chosen honest, ascending: where a simulation puts and gets. */
  public List<Integer> honest() {
    return Collections.unmodifiableList(honest);
  }

  /** FindNode and FindValue answers the liars forged so far. */
  public long forgedAnswers() {
    return forgedAnswers;
  }

  /** Stores the liars acknowledged and dropped so far. */
  public long droppedStores() {
    return droppedStores;
  }

  private List<Contact> forge(NodeId target) {
    forgedAnswers++;
    List<Contact> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      int prefix = FORGED_PREFIX_MIN + random.nextInt(NodeId.BITS / 2 - FORGED_PREFIX_MIN);
      String address = "forged" + forgedAddresses++ + ":4000";
      network.down(address, InMemoryNetwork.Failure.SILENT);
      out.add(new Contact(target.randomWithPrefix(prefix, random), address));
    }
    return out;
  }

  /** One liar: its node's handlers, with the answers its lies change. */
  private final class Liar extends ForwardingPeerHandler {
    Liar(KademliaNode node) {
      super(PeerHandler.of(node));
    }

    @Override
    public List<Contact> handleFindNode(Contact sender, NodeId target) {
      if (lies.contains(Lie.FORGE_CONTACTS)) return forge(target);
      return super.handleFindNode(sender, target);
    }

    @Override
    public FoundValue handleFindValue(Contact sender, NodeId key, RecordKind kind) {
      if (lies.contains(Lie.FORGE_CONTACTS)) return new FoundValue(null, forge(key));
      if (lies.contains(Lie.DROP_STORES)) {
        // Contacts only, even if the node held the record before it turned.
        return new FoundValue(null, super.handleFindNode(sender, key));
      }
      return super.handleFindValue(sender, key, kind);
    }

    @Override
    public StoreResult handleStore(Contact sender, ValueRecord record) {
      if (lies.contains(Lie.DROP_STORES)) {
        droppedStores++;
        return StoreResult.STORED;
      }
      return super.handleStore(sender, record);
    }
  }
}
