package io.kadmesh.client.resolver;

import static io.kadmesh.client.resolver.ScriptedWatchDht.added;
import static io.kadmesh.client.resolver.ScriptedWatchDht.endpointEvent;
import static io.kadmesh.client.resolver.ScriptedWatchDht.removed;
import static io.kadmesh.client.resolver.ScriptedWatchDht.resync;
import static io.kadmesh.client.resolver.ScriptedWatchDht.synced;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.EquivalentAddressGroup;
import io.kadmesh.client.resolver.EndpointSet.Outcome;
import io.kadmesh.proto.v1.WatchEvent;
import io.kadmesh.proto.v1.WatchEventType;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSetTest {

  private final EndpointSet set = new EndpointSet();

  private Outcome apply(WatchEvent event) {
    return set.apply(EndpointChange.of(event));
  }

  private List<String> addresses() {
    return set.addressGroups().stream()
        .map(group -> (InetSocketAddress) group.getAddresses().get(0))
        .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
        .toList();
  }

  @Test
  void eventsBeforeSynced_areHeld_andBecomeTheSetAtSynced() {
    assertThat(apply(added("10.0.0.1:80"))).isEqualTo(Outcome.HOLD);
    assertThat(apply(added("10.0.0.2:80"))).isEqualTo(Outcome.HOLD);
    assertThat(addresses()).isEmpty();
    assertThat(set.synced()).isFalse();

    assertThat(apply(synced())).isEqualTo(Outcome.SYNCED);

    assertThat(set.synced()).isTrue();
    assertThat(addresses()).containsExactly("10.0.0.1:80", "10.0.0.2:80");
  }

  @Test
  void addedAndRemovedAfterSynced_changeTheSetAtOnce() {
    apply(added("10.0.0.1:80"));
    apply(synced());

    assertThat(apply(added("10.0.0.2:80"))).isEqualTo(Outcome.CHANGED);
    assertThat(addresses()).containsExactly("10.0.0.1:80", "10.0.0.2:80");
    assertThat(apply(removed("10.0.0.1:80"))).isEqualTo(Outcome.CHANGED);
    assertThat(addresses()).containsExactly("10.0.0.2:80");
  }

  @Test
  void removedOfAnUnknownEndpoint_changesNothing() {
    apply(synced());

    assertThat(apply(removed("10.0.0.9:80"))).isEqualTo(Outcome.HOLD);
  }

  @Test
  void resync_keepsTheOldSetUntilSynced_thenReplacesItWhole() {
    apply(added("10.0.0.1:80"));
    apply(added("10.0.0.2:80"));
    apply(synced());

    assertThat(apply(resync())).isEqualTo(Outcome.HOLD);
    assertThat(apply(added("10.0.0.3:80"))).isEqualTo(Outcome.HOLD);
    assertThat(addresses()).containsExactly("10.0.0.1:80", "10.0.0.2:80");

    apply(synced());

    assertThat(addresses()).containsExactly("10.0.0.3:80");
  }

  @Test
  void restart_buildsAFreshSetFromTheNewStream() {
    apply(added("10.0.0.1:80"));
    apply(synced());

    set.restart();
    apply(added("10.0.0.2:80"));

    assertThat(addresses()).containsExactly("10.0.0.1:80");
    apply(synced());
    assertThat(addresses()).containsExactly("10.0.0.2:80");
  }

  @Test
  void oneAddressFromTwoAnnouncers_isOneGroup_andStaysUntilBothRemoveIt() {
    WatchEventType addedType = WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_ADDED;
    apply(endpointEvent(addedType, "10.0.0.1:80", ScriptedWatchDht.announcer(1), Map.of("zone", "a")));
    apply(endpointEvent(addedType, "10.0.0.1:80", ScriptedWatchDht.announcer(2), Map.of("zone", "b")));
    apply(synced());

    assertThat(addresses()).containsExactly("10.0.0.1:80");
    apply(endpointEvent(
        WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_REMOVED, "10.0.0.1:80", ScriptedWatchDht.announcer(1), Map.of()));
    assertThat(addresses()).containsExactly("10.0.0.1:80");
    apply(endpointEvent(
        WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_REMOVED, "10.0.0.1:80", ScriptedWatchDht.announcer(2), Map.of()));
    assertThat(addresses()).isEmpty();
  }

  @Test
  void updated_replacesTheMetadataCarriedOnTheGroup() {
    apply(endpointEvent(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_ADDED, "10.0.0.1:80", ScriptedWatchDht.ANNOUNCER, Map.of("zone", "a")));
    apply(synced());

    apply(endpointEvent(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_UPDATED, "10.0.0.1:80", ScriptedWatchDht.ANNOUNCER, Map.of("zone", "b")));

    EquivalentAddressGroup group = set.addressGroups().get(0);
    assertThat(group.getAttributes().get(KadmeshNameResolverProvider.ENDPOINT_METADATA)).containsEntry("zone", "b");
  }

  @Test
  void unusableAddress_isLeftOutOfTheGroups_andNamedInUnusable() {
    apply(added("10.0.0.1:80"));
    apply(added("not-an-address"));
    apply(synced());

    assertThat(addresses()).containsExactly("10.0.0.1:80");
    assertThat(set.unusable()).singleElement().asString().contains("not-an-address");
  }

  @Test
  void keyWatchEvents_changeNothing() {
    apply(synced());

    assertThat(apply(WatchEvent.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_VALUE).build()))
        .isEqualTo(Outcome.HOLD);
    assertThat(addresses()).isEmpty();
  }
}
