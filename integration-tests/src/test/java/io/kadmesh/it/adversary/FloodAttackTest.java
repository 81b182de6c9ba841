package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.StoreRequest;
import io.kadmesh.proto.v1.StoreResponse;
import io.kadmesh.testing.GrpcMesh;
import io.kadmesh.testing.WriteAck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The load attack: one sender floods a node's peer port with STOREs of 64 KiB under
 * random keys. Before the per-peer limits all 300 were kept (19.8 MB in 2 s), and on a node with a
 * 10 MB store 200 of them filled it, so that an honest 40 KB put failed RESOURCE_EXHAUSTED. Now the
 * token bucket ({@code --peer-rate-limit}) and the sender's quota ({@code --max-bytes-per-peer})
 * refuse most of them; without them every assertion on refusals and bytes held below fails.
 */
class FloodAttackTest {
  private static final int NODES = 4;
  private static final int VALUE_BYTES = 64 * 1024;
  private static final long PER_PEER_BYTES = 2L << 20;
  private static final long STORE_BYTES = 10_000_000;
  /** Low enough that a burst of 300 calls outruns it (a bucket of 40, 20 more each second). */
  private static final int RATE_PER_SECOND = 20;

  @RegisterExtension final Arena arena = new Arena();
  private final Random random = new Random(41);

  /** How a flood went: calls kept, refused by each limit, and the bytes the target holds after. */
  private record Outcome(int ok, int rateLimited, int overQuota, long bytesHeld) {
    int refused() {
      return rateLimited + overQuota;
    }
  }

  @Test
  void threeHundredStoresOf64KibFromOneSender_areMostlyRefusedNamingTheLimit_andOthersAreStillServed() {
    GrpcMesh mesh = arena.start(NODES, NodeConfig.builder().k(2 * NODES)
        .maxBytesPerPeer(PER_PEER_BYTES).peerRateLimit(RATE_PER_SECOND).build());
    HostilePeer flooder = arena.hostile(NodeId.random(random)).serve();

    Outcome outcome = flood(mesh, flooder, 1, 300);

    assertThat(outcome.ok()).as("kept").isLessThanOrEqualTo((int) (PER_PEER_BYTES / VALUE_BYTES));
    assertThat(outcome.rateLimited()).as("refused by --peer-rate-limit").isPositive();
    assertThat(outcome.overQuota()).as("refused by --max-bytes-per-peer").isPositive();
    assertThat(outcome.bytesHeld()).as("bytes held").isLessThanOrEqualTo(PER_PEER_BYTES);
    assertOthersServed(mesh, flooder, "after-the-flood", "v");
  }

  @Test
  void twoHundredStoresOf64KibOnANodeWithA10MbStore_leaveRoomForAnHonest40KbPutOnEveryReplica() {
    GrpcMesh mesh = arena.start(NODES, NodeConfig.builder().k(2 * NODES)
        .maxStoredBytes(STORE_BYTES).maxBytesPerPeer(PER_PEER_BYTES).build());
    HostilePeer flooder = arena.hostile(NodeId.random(random)).serve();

    Outcome outcome = flood(mesh, flooder, 1, 200);

    assertThat(outcome.refused()).as("refused").isGreaterThanOrEqualTo(200 - (int) (PER_PEER_BYTES / VALUE_BYTES));
    assertThat(outcome.bytesHeld()).as("bytes held").isLessThanOrEqualTo(PER_PEER_BYTES);
    assertOthersServed(mesh, flooder, "honest-40kb", "y".repeat(40_000));
  }

  /**
   * Sends {@code count} STOREs of {@link #VALUE_BYTES} under random keys to node {@code target},
   * all at once, as the flooder; every refusal must be RESOURCE_EXHAUSTED naming its limit.
   */
  private Outcome flood(GrpcMesh mesh, HostilePeer flooder, int target, int count) {
    Instant expiry = Instant.now().plus(Duration.ofHours(1));
    List<ListenableFuture<StoreResponse>> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StoreRequest request = StoreRequest.newBuilder().setHeader(flooder.header())
          .setRecord(HostilePeer.record(NodeId.random(random), new byte[VALUE_BYTES], 1, flooder.id(), expiry))
          .build();
      calls.add(flooder.kademliaAsync(arena.peer(target)).store(request));
    }
    int ok = 0;
    int rateLimited = 0;
    int overQuota = 0;
    for (ListenableFuture<StoreResponse> call : calls) {
      Status status = outcome(call);
      if (status.isOk()) {
        ok++;
        continue;
      }
      assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      if (status.getDescription().contains("--peer-rate-limit")) {
        rateLimited++;
      } else {
        assertThat(status.getDescription()).contains("--max-bytes-per-peer");
        overQuota++;
      }
    }
    Outcome outcome = new Outcome(ok, rateLimited, overQuota, mesh.node(target).store().storedBytes());
    System.out.printf("flood of %d x %d B STOREs: OK=%d, refused=%d (rate limit %d, quota %d), bytes held=%d%n",
        count, VALUE_BYTES, ok, outcome.refused(), rateLimited, overQuota, outcome.bytesHeld());
    return outcome;
  }

  private static Status outcome(ListenableFuture<StoreResponse> call) {
    try {
      call.get(30, TimeUnit.SECONDS);
      return Status.OK;
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("a STORE of the flood did not finish", e);
    }
  }

  /**
   * Right after the flood, another peer's call to the flooded node is answered, and an honest put
   * reaches every node of the mesh (the flooder, which keeps nothing, may be counted too).
   */
  private void assertOthersServed(GrpcMesh mesh, HostilePeer flooder, String key, String value) {
    arena.assertServes(1);
    WriteAck honest = mesh.put(0, key, value);
    assertThat(honest.replicas()).isGreaterThanOrEqualTo(NODES);
    arena.assertEveryNodeHolds(key, honest);
  }
}
