package io.kadmesh.server.dashboard;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.kadmesh.core.node.BucketStats;
import io.kadmesh.core.routing.ContactView;
import io.kadmesh.server.metrics.NodeStatus;
import io.kadmesh.server.metrics.RecentFailures;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The document {@code /api/status} answers, read fresh on each request: the node ({@link
 * NodeStatus}, the same figures GetNodeInfo reports, with its uptime), the contacts of its routing
 * table with their last answer, its kadmesh_ counters and histograms ({@link MetricsJson}) and its
 * recent failures. Times are ISO-8601 instants of the node's clock.
 */
public final class StatusJson {
  /** The most contacts listed; a full table (256 buckets of k) would make a page no one reads. */
  static final int MAX_PEERS = 1000;

  private final Supplier<NodeStatus> status;
  private final Supplier<List<ContactView>> contacts;
  private final PrometheusRegistry registry;
  private final RecentFailures failures;
  private final InstantSource clock;
  private final Gson gson = new Gson();

  public StatusJson(Supplier<NodeStatus> status, Supplier<List<ContactView>> contacts,
      PrometheusRegistry registry, RecentFailures failures, InstantSource clock) {
    this.status = Objects.requireNonNull(status, "status");
    this.contacts = Objects.requireNonNull(contacts, "contacts");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.failures = Objects.requireNonNull(failures, "failures");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The document, as JSON text. */
  public String render() {
    Instant now = clock.instant();
    NodeStatus s = status.get();
    JsonObject out = new JsonObject();
    out.add("node", node(s, now));
    out.add("storage", storage(s));
    out.add("routing", routing(s));
    out.add("peers", peers(contacts.get()));
    out.add("metrics", MetricsJson.of(registry.scrape(name -> name.startsWith("kadmesh_"))));
    out.add("failures", failures(failures.latest()));
    return gson.toJson(out);
  }

  private static JsonObject node(NodeStatus s, Instant now) {
    JsonObject node = new JsonObject();
    node.addProperty("id", s.nodeId().toHex());
    node.addProperty("network", s.network());
    node.addProperty("peerAddress", s.peerAddress());
    node.addProperty("apiAddress", s.apiAddress());
    node.addProperty("advertiseAddress", s.advertiseAddress());
    node.addProperty("k", s.k());
    node.addProperty("alpha", s.alpha());
    node.addProperty("writeQuorum", s.writeQuorum());
    node.addProperty("serving", !s.cutOff());
    node.addProperty("startedAt", s.startedAt().toString());
    node.addProperty("now", now.toString());
    node.addProperty("uptimeSeconds", Math.max(0, Duration.between(s.startedAt(), now).toSeconds()));
    return node;
  }

  private static JsonObject storage(NodeStatus s) {
    JsonObject storage = new JsonObject();
    storage.addProperty("engine", s.storage());
    storage.addProperty("dataDirectory", s.dataDirectory().map(Path::toString).orElse(""));
    storage.addProperty("records", s.records());
    storage.addProperty("storedBytes", s.storedBytes());
    storage.addProperty("maxRecords", s.maxRecords());
    storage.addProperty("maxStoredBytes", s.maxStoredBytes());
    return storage;
  }

  private static JsonObject routing(NodeStatus s) {
    JsonObject routing = new JsonObject();
    routing.addProperty("contacts", s.contacts());
    routing.addProperty("liveContacts", s.liveContacts());
    JsonArray buckets = new JsonArray();
    for (BucketStats b : s.buckets()) {
      JsonObject bucket = new JsonObject();
      bucket.addProperty("index", b.index());
      bucket.addProperty("contacts", b.contacts());
      bucket.addProperty("replacements", b.replacements());
      buckets.add(bucket);
    }
    routing.add("buckets", buckets);
    return routing;
  }

  private static JsonObject peers(List<ContactView> views) {
    // The replacement caches are counted per bucket above; the nodes listed are the table's own.
    List<ContactView> table = views.stream().filter(v -> !v.replacement()).toList();
    JsonArray listed = new JsonArray();
    for (ContactView c : table.subList(0, Math.min(table.size(), MAX_PEERS))) {
      JsonObject peer = new JsonObject();
      peer.addProperty("id", c.contact().id().toHex());
      peer.addProperty("address", c.contact().address());
      peer.addProperty("bucket", c.bucket());
      peer.add("lastSeen", c.lastSeen() == null ? JsonNull.INSTANCE : new JsonPrimitive(c.lastSeen().toString()));
      peer.addProperty("failures", c.failures());
      peer.addProperty("stale", c.stale());
      listed.add(peer);
    }
    JsonObject peers = new JsonObject();
    peers.addProperty("total", table.size());
    peers.add("listed", listed);
    return peers;
  }

  private static JsonArray failures(List<RecentFailures.Failure> latest) {
    JsonArray out = new JsonArray();
    for (RecentFailures.Failure f : latest) {
      JsonObject failure = new JsonObject();
      failure.addProperty("at", f.at().toString());
      failure.addProperty("port", f.port());
      failure.addProperty("method", f.method());
      failure.addProperty("code", f.code());
      failure.addProperty("message", f.message());
      out.add(failure);
    }
    return out;
  }
}
