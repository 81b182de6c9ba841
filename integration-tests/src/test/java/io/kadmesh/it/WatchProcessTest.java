package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * `kadmesh watch` against one node of a three-node mesh of `kadmesh node` processes sees what
 * `kadmesh put` and `kadmesh delete` do through another node: the change travels from the key's
 * replicas to the watching node by Notify, and out of its Watch stream a line at a time.
 */
class WatchProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final ProcessMesh mesh = new ProcessMesh(List.of());

  private static CommandRun ok(CommandRun run) {
    assertThat(run.exit()).as(run.toString()).isZero();
    return run;
  }

  @Test
  void watchOnOneNode_printsThePutAndTheDeleteMadeThroughAnother() throws Exception {
    mesh.startJoined(3);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> mesh.contacts(0) >= 2 && mesh.contacts(1) >= 2 && mesh.contacts(2) >= 2);
    String watched = mesh.node(0).apiAddress();
    String writer = mesh.node(2).apiAddress();

    try (KadmeshWatch watcher = new KadmeshWatch("--target", watched, "colour")) {
      await().atMost(WAIT).until(() -> watcher.lines().contains("SYNCED"));
      assertThat(watcher.lines()).containsExactly("DELETED", "SYNCED");

      ok(KadmeshCli.run("put", "--target", writer, "colour", "blue"));
      await().atMost(WAIT).until(() -> watcher.lines().size() >= 3);
      assertThat(watcher.lines().get(2)).startsWith("VALUE ").endsWith(" blue");

      ok(KadmeshCli.run("delete", "--target", writer, "colour"));
      await().atMost(WAIT).until(() -> watcher.lines().size() >= 4);
      assertThat(watcher.lines().get(3)).startsWith("DELETED ");
      assertThat(watcher.lines()).hasSize(4);
    }
  }
}
