package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryRecordStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The hand-off before leaving logs its progress at INFO, at most once per interval of virtual
 * time, and a last line once every record was tried.
 */
class HandOffProgressTest {
  private static final int RECORDS = 2000;

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Random random = new Random(7);
  private final InMemoryNetwork network = new InMemoryNetwork(scheduler, new Random(1));
  private final NodeConfig config = NodeConfig.defaults();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(Republisher.class);

  private KademliaNode node(String address) {
    Contact self = new Contact(NodeId.random(random), address);
    KademliaNode n = new KademliaNode(config, self, network.transportFor(self),
        new InMemoryRecordStore(100_000, 1L << 30), scheduler, new Random(address.hashCode()));
    network.register(n);
    return n;
  }

  @AfterEach
  void detach() {
    logger.detachAppender(logged);
  }

  @Test
  void leave_ofAStoreThatTakesLongerThanTheInterval_logsBoundedProgressLines_andALastOne() {
    KademliaNode leaving = node("leaving:1");
    KademliaNode other = node("other:1");
    other.join(List.of(leaving.self().address()));
    scheduler.advance(Duration.ofSeconds(5));
    for (int i = 0; i < RECORDS; i++) {
      leaving.store().put(ValueRecord.value(NodeId.random(random), ("v" + i).getBytes(),
          new Version(1, leaving.self().id()), scheduler.now().plus(Duration.ofHours(6))));
    }
    // Each record is a lookup and a store, 16 at a time: 2000 of them take about a virtual minute.
    network.setLatency(Duration.ofMillis(100));
    logged.start();
    logger.addAppender(logged);

    Instant started = scheduler.now();
    CompletableFuture<Void> left = leaving.leave(Duration.ofMinutes(10));
    scheduler.runUntil(left::isDone, Duration.ofMinutes(10));
    Duration took = Duration.between(started, scheduler.now());

    assertThat(left).isCompleted();
    List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("hand-off: ")).toList();
    assertThat(took).isGreaterThan(Republisher.PROGRESS_INTERVAL.multipliedBy(2));
    assertThat(lines).hasSizeBetween(2, (int) (took.toSeconds() / Republisher.PROGRESS_INTERVAL.toSeconds()) + 1);
    assertThat(lines.subList(0, lines.size() - 1))
        .allSatisfy(l -> assertThat(l).matches("hand-off: \\d+/" + RECORDS + " records, \\d+%"));
    assertThat(lines.get(lines.size() - 1))
        .matches("hand-off: " + RECORDS + "/" + RECORDS + " records, 100%, done in [0-9.]+ s");
    assertThat(other.store().recordCount()).isEqualTo(RECORDS);
  }
}
