package io.kadmesh.core.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.SignedRecords;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.records.EndpointEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The views a watch merges replicas' records into. The endpoint view is fed entries signed by
 * real announcer keys (EndpointEntry bytes, the address as the signature's name), ordered by seq
 * then signature as replicas order them.
 */
class ViewTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final NodeId KEY = NodeId.ofKey("key");
  private final SignedRecords alice = new SignedRecords();
  private final SignedRecords bob = new SignedRecords();

  private static List<String> lines(List<WatchEvent> events) {
    List<String> out = new ArrayList<>();
    for (WatchEvent e : events) {
      if (e.record() == null || e.record().signature() == null) {
        out.add(e.type().toString());
      } else {
        EndpointEntry entry = EndpointEntry.decode(e.record().valueUnsafe());
        out.add(e.type() + " " + entry.address() + " " + entry.metadata());
      }
    }
    return out;
  }

  private static ValueRecord entry(SignedRecords announcer, String address, long seq, String zone,
      Instant expiresAt) {
    EndpointEntry entry = EndpointEntry.of("svc", address, Map.of("zone", zone),
        new byte[EndpointEntry.ANNOUNCER_ID_BYTES]);
    return announcer.value(address, seq, entry.encode(), expiresAt);
  }

  private static Instant in(Duration d) {
    return NOW.plus(d);
  }

  @Test
  void endpointView_addsUpdatesAndRemovesEachAnnouncersEntry_ignoringOlderStates() {
    EndpointView view = new EndpointView();
    Instant later = in(Duration.ofMinutes(5));

    assertThat(lines(view.merge(entry(alice, "10.0.0.1:80", 1, "a", later), NOW)))
        .containsExactly("ENDPOINT_ADDED 10.0.0.1:80 {zone=a}");
    assertThat(lines(view.merge(entry(bob, "10.0.0.1:80", 1, "b", later), NOW)))
        .as("another announcer of the same address is another entry")
        .containsExactly("ENDPOINT_ADDED 10.0.0.1:80 {zone=b}");
    assertThat(lines(view.merge(entry(alice, "10.0.0.1:80", 2, "c", later), NOW)))
        .containsExactly("ENDPOINT_UPDATED 10.0.0.1:80 {zone=c}");
    assertThat(view.merge(entry(alice, "10.0.0.1:80", 1, "old", later), NOW)).isEmpty();
    ValueRecord renewed = entry(alice, "10.0.0.1:80", 3, "c", in(Duration.ofMinutes(10)));
    assertThat(lines(view.merge(renewed, NOW))).containsExactly("ENDPOINT_UPDATED 10.0.0.1:80 {zone=c}");
  }

  @Test
  void endpointView_removesAWithdrawnEntryAsItLastWas_andAnExpiredOne_andStatesOnlyLiveOnes() {
    EndpointView view = new EndpointView();
    view.merge(entry(alice, "10.0.0.1:80", 1, "a", in(Duration.ofMinutes(5))), NOW);
    view.merge(entry(bob, "10.0.0.2:80", 1, "b", in(Duration.ofMinutes(1))), NOW);
    ValueRecord withdrawal = alice.tombstone("10.0.0.1:80", 2, in(Duration.ofMinutes(5)));

    assertThat(lines(view.merge(withdrawal, NOW)))
        .containsExactly("ENDPOINT_REMOVED 10.0.0.1:80 {zone=a}");
    assertThat(view.merge(entry(alice, "10.0.0.1:80", 1, "a", in(Duration.ofMinutes(5))), NOW))
        .as("the withdrawn state is newer").isEmpty();
    assertThat(lines(view.state(NOW))).containsExactly("ENDPOINT_ADDED 10.0.0.2:80 {zone=b}");
    assertThat(view.nextExpiry()).contains(in(Duration.ofMinutes(1)));
    assertThat(lines(view.expire(in(Duration.ofMinutes(1)))))
        .containsExactly("ENDPOINT_REMOVED 10.0.0.2:80 {zone=b}");
    assertThat(view.state(in(Duration.ofMinutes(1)))).isEmpty();
  }

  @Test
  void endpointView_ignoresARecordWhoseEntryIsNotForTheAddressItsSignatureNames() {
    EndpointView view = new EndpointView();
    EndpointEntry entry = EndpointEntry.of("svc", "10.0.0.9:80", Map.of(),
        new byte[EndpointEntry.ANNOUNCER_ID_BYTES]);

    assertThat(view.merge(alice.value("10.0.0.1:80", 1, entry.encode(), in(Duration.ofMinutes(1))),
        NOW)).isEmpty();
    assertThat(view.merge(alice.value("10.0.0.1:80", 1, new byte[] {1, 2}, in(Duration.ofMinutes(1))),
        NOW)).isEmpty();
  }

  @Test
  void keyView_takesOnlyNewerVersions_deletesOnATombstoneOrExpiry() {
    KeyView view = new KeyView();
    NodeId writer = NodeId.ofKey("w");
    ValueRecord v2 = ValueRecord.value(KEY, new byte[] {2}, new Version(2, writer), in(Duration.ofMinutes(1)));

    assertThat(lines(view.state(NOW))).containsExactly("DELETED");
    assertThat(lines(view.merge(v2, NOW))).containsExactly("VALUE");
    assertThat(view.merge(ValueRecord.value(KEY, new byte[] {1}, new Version(1, writer),
        in(Duration.ofHours(1))), NOW)).isEmpty();
    assertThat(view.merge(ValueRecord.value(KEY, new byte[] {3}, new Version(3, writer), NOW), NOW))
        .as("already expired").isEmpty();
    assertThat(lines(view.expire(in(Duration.ofMinutes(1))))).containsExactly("DELETED");
    assertThat(view.expire(in(Duration.ofMinutes(2)))).isEmpty();
    assertThat(lines(view.merge(ValueRecord.tombstone(KEY, new Version(4, writer),
        in(Duration.ofHours(1))), NOW))).containsExactly("DELETED");
    assertThat(view.state(NOW).get(0).record().version()).isEqualTo(new Version(4, writer));
  }
}
