package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kadmesh.cli.bench.NodeProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kadmesh node --log-format json` from the built executable: every line it writes is one JSON
 * object, and a slow call's WARN line carries the request ID in its MDC, while the client command
 * beside it keeps its stderr plain.
 */
class LogFormatProcessTest {
  private static final Pattern SLOW_PUT = Pattern.compile("slow Put: [0-9.]+ ms, OK, key [0-9a-f]{8}, request ([0-9a-f]{16})");

  @TempDir Path dataDir;

  @Test
  void jsonLogFormat_writesOneObjectPerLine_andASlowCallsLineNamesItsRequestId() throws Exception {
    NodeProcess node = NodeLauncher.start(ProcessMesh.JAR, dataDir.resolve("node"),
        List.of("--log-format", "json", "--slow-operation", "1ms"));
    CommandRun put;
    try {
      put = KadmeshCli.run("put", "--target", node.apiAddress(), "greeting", "hello");
    } finally {
      node.close();
    }

    assertThat(put.exit()).as(put.toString()).isZero();
    assertThat(put.stderr()).as("the client command's stderr").isEmpty();
    List<String> lines = node.logText().lines().toList();
    assertThat(lines).as("the node's log").isNotEmpty();
    String slowRequest = null;
    for (String line : lines) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      assertThat(o.keySet()).as(line).contains("timestamp", "level", "loggerName", "threadName",
          "formattedMessage", "mdc");
      Matcher slow = SLOW_PUT.matcher(o.get("formattedMessage").getAsString());
      if (slow.matches()) {
        assertThat(o.get("level").getAsString()).isEqualTo("WARN");
        assertThat(o.getAsJsonObject("mdc").get("request_id").getAsString()).isEqualTo(slow.group(1));
        slowRequest = slow.group(1);
      }
    }
    assertThat(slowRequest).as("a slow Put line in " + lines).isNotNull();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("stopped"));
  }
}
