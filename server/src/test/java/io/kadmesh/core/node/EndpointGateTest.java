package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.EndpointRecords;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.EndpointEntry;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.records.SignedPayload;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record gate's checks of endpoint entries: what an entry must prove, and a set's caps. */
class EndpointGateTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant EXPIRES = NOW.plus(Duration.ofHours(1));

  private final Limits limits = new Limits(NodeConfig.builder()
      .maxServiceEntries(4).maxEntriesPerAnnouncer(2).build());
  private final KeyPair announcer = Ed25519Keys.generate();
  private final byte[] announcerKey = Ed25519Keys.raw(announcer.getPublic());

  private static EndpointEntry entry(String service, String address) {
    return EndpointEntry.of(service, address, Map.of("zone", "eu"), new byte[32]);
  }

  private ValueRecord signed(String service, String address, long seq, boolean withdrawn) {
    return EndpointRecords.sign(entry(service, address), seq, EXPIRES, withdrawn, announcer);
  }

  /** An endpoint record with exactly these fields, signed by {@code signer} over what it says. */
  private static ValueRecord record(NodeId key, byte[] value, byte[] publicKey, String name,
      long seq, boolean tombstone, KeyPair signer) {
    byte[] signature = new SignedPayload(SignedPayload.Domain.ENDPOINT, name, seq, value,
        EXPIRES.getEpochSecond(), tombstone).sign(signer.getPrivate());
    return ValueRecord.endpoint(key, value, EXPIRES, tombstone,
        new RecordSignature(publicKey, name, seq, signature));
  }

  private void refused(ValueRecord record, String... message) {
    assertThatThrownBy(() -> limits.checkIncoming(record, NOW))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.INVALID_ARGUMENT))
        .hasMessageContainingAll(message);
    assertThat(limits.admits(record, NOW)).isFalse();
  }

  @Test
  void entryAndWithdrawal_signedByTheirAnnouncer_pass_andAWithdrawalKeepsItsEntry() {
    ValueRecord live = signed("web", "10.0.0.1:80", 1, false);
    ValueRecord withdrawn = signed("web", "10.0.0.1:80", 2, true);

    assertThatCode(() -> limits.checkIncoming(live, NOW)).doesNotThrowAnyException();
    assertThatCode(() -> limits.checkIncoming(withdrawn, NOW)).doesNotThrowAnyException();
    assertThat(withdrawn.value()).isEqualTo(live.value());
    assertThat(live.key()).isEqualTo(NodeId.fromBytes(RecordKeys.serviceKey("web")));
  }

  @Test
  void entryClaimingAnotherAnnouncersKey_signedByAForger_isRefused() {
    ValueRecord genuine = signed("web", "10.0.0.1:80", 1, false);
    KeyPair forger = Ed25519Keys.generate();

    refused(record(genuine.key(), genuine.value(), announcerKey, "10.0.0.1:80", 5, true, forger),
        "record.signature does not verify for public key");
  }

  @Test
  void entryUnderAnotherServicesKey_isRefused_evenWhenItsSignatureVerifies() {
    EndpointEntry web = entry("web", "10.0.0.1:80");
    NodeId dbKey = NodeId.fromBytes(RecordKeys.serviceKey("db"));

    refused(record(dbKey, web.encode(), announcerKey, "10.0.0.1:80", 1, false, announcer),
        "record.key is not the key of the entry's service 'web'");
  }

  @Test
  void signatureNamingAnotherAddressThanTheEntry_isRefused() {
    EndpointEntry web = entry("web", "10.0.0.1:80");

    refused(record(NodeId.fromBytes(web.serviceKey()), web.encode(), announcerKey, "10.0.0.2:80",
        1, false, announcer), "name must be the entry's endpoint address '10.0.0.1:80'");
  }

  @Test
  void valueThatIsNoEntry_andASignedRecordsSignature_areRefused() {
    NodeId key = NodeId.fromBytes(RecordKeys.serviceKey("web"));
    refused(record(key, new byte[] {1, 2, 3}, announcerKey, "a:1", 1, false, announcer),
        "record.value is not an endpoint entry");

    // The same fields signed in the signed-record domain: the domains never stand for each other.
    EndpointEntry web = entry("web", "a:1");
    byte[] recordSignature = new SignedPayload("a:1", 1, web.encode(), EXPIRES.getEpochSecond(),
        false).sign(announcer.getPrivate());
    refused(ValueRecord.endpoint(key, web.encode(), EXPIRES, false,
        new RecordSignature(announcerKey, "a:1", 1, recordSignature)), "does not verify");
  }

  @Test
  void answerWithMoreEntriesThanTheServiceCap_orThanTheAnnouncerCap_isRefusedWhole() {
    List<ValueRecord> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(EndpointRecords.sign(entry("web", "h:" + (i + 1)), 1, EXPIRES, false,
          Ed25519Keys.generate()));
    }
    NodeId key = five.get(0).key();
    assertThatCode(() -> limits.checkEndpointSet(key, five.subList(0, 4), NOW))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> limits.checkEndpointSet(key, five, NOW))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.RESOURCE_EXHAUSTED))
        .hasMessageContaining("--max-service-entries");

    List<ValueRecord> three = List.of(signed("web", "a:1", 1, false), signed("web", "b:1", 1, false),
        signed("web", "c:1", 1, false));
    assertThatThrownBy(() -> limits.checkEndpointSet(key, three, NOW))
        .hasMessageContaining("--max-entries-per-announcer");
  }

  @Test
  void serviceName_isOneTo256Bytes() {
    assertThat(limits.serviceKey("web")).isEqualTo(NodeId.fromBytes(RecordKeys.serviceKey("web")));
    assertThatThrownBy(() -> limits.serviceKey("")).hasMessageContaining("service must be 1 to 256");
    assertThatThrownBy(() -> limits.serviceKey("x".repeat(257)))
        .hasMessageContaining("got 257");
  }
}
