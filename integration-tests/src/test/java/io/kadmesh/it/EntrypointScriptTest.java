package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.cli.bench.NodeProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/entrypoint.sh, run by bash as the image runs it, with the environment the compose file
 * passes: a fake {@code java} on PATH prints the command line and the KADMESH_* variables it was
 * given, a fake {@code hostname} plays the container's {@code hostname -i}. The last test runs the
 * real executable through it. (No image is built here: no Docker daemon runs on this machine.)
 */
class EntrypointScriptTest {
  private static final String HOME = "/opt/kadmesh";

  @TempDir Path dir;
  private Path bin;

  /** What the fake java saw: its arguments and the KADMESH_* environment. */
  record Launch(int exit, List<String> args, Map<String, String> env, String stderr) {}

  @BeforeEach
  void fakes() throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    script("java", """
        #!/bin/sh
        for a in "$@"; do echo "arg $a"; done
        env | grep '^KADMESH_' | sed 's/^/env /'
        """);
    hostname("fd00::5 172.18.0.5");
  }

  private void hostname(String addresses) throws IOException {
    script("hostname", "#!/bin/sh\n[ \"$1\" = -i ] && echo '" + addresses + "'\n");
  }

  private void script(String name, String text) throws IOException {
    Path p = bin.resolve(name);
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Launch run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", DeploymentFiles.ENTRYPOINT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", bin + ":/usr/bin:/bin");
    builder.environment().putAll(env);
    Process p = builder.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    int exit = p.waitFor();
    List<String> argv = new ArrayList<>();
    Map<String, String> seen = new TreeMap<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("arg ")) {
        argv.add(line.substring(4));
      } else if (line.startsWith("env ")) {
        String[] kv = line.substring(4).split("=", 2);
        seen.put(kv[0], kv[1]);
      }
    }
    return new Launch(exit, argv, seen, err);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> composeEnvironment(String service) throws IOException {
    Map<String, Object> compose = DeploymentFiles.yamlTree(DeploymentFiles.COMPOSE);
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get(service))
        .get("environment");
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  @Test
  void node_withTheComposeEnvironment_runsKadmeshNodeWithContainerDefaultsAndTheContainersIp()
      throws Exception {
    Map<String, String> compose = composeEnvironment("node1");

    Launch launch = run(compose);

    assertThat(launch.exit()).as(launch.stderr()).isZero();
    assertThat(launch.args()).containsExactly("-XX:MaxRAMPercentage=50",
        "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-Xms16m", "-Xss512k",
        "-XX:ReservedCodeCacheSize=64m", "-XX:TieredStopAtLevel=1", "-jar", HOME + "/kadmesh.jar",
        "node");
    assertThat(launch.env()).containsAllEntriesOf(compose)
        .containsEntry("KADMESH_PEER_ADDRESS", "0.0.0.0:7701")
        .containsEntry("KADMESH_API_ADDRESS", "0.0.0.0:7700")
        .containsEntry("KADMESH_ADMIN_ADDRESS", "0.0.0.0:7702")
        .containsEntry("KADMESH_DATA_DIR", "/data")
        // The first non-loopback IPv4 address hostname -i lists, with the peer port.
        .containsEntry("KADMESH_ADVERTISE_ADDRESS", "172.18.0.5:7701");
    assertThat(DeploymentFiles.unknownVariables(launch.env())).isEmpty();
  }

  @Test
  void node_withTheSidecarsComposeEnvironment_keepsItsLoopbackApiAndAdminOff() throws Exception {
    Launch launch = run(composeEnvironment("app-sidecar"), "node");

    assertThat(launch.env()).containsEntry("KADMESH_API_ADDRESS", "127.0.0.1:7700")
        .containsEntry("KADMESH_ADMIN_ADDRESS", "off")
        .containsEntry("KADMESH_ADVERTISE_ADDRESS", "172.18.0.5:7701");
  }

  @Test
  void node_givenItsOwnValues_keepsThem_andAdvertisesTheConfiguredPeerPort() throws Exception {
    Launch launch = run(Map.of("KADMESH_PEER_ADDRESS", "0.0.0.0:9001",
        "KADMESH_DATA_DIR", "/var/lib/kadmesh", "KADMESH_JAVA_OPTS", "-Xmx300m"), "node", "--k", "30");

    assertThat(launch.args()).containsExactly("-Xmx300m", "-jar", HOME + "/kadmesh.jar", "node",
        "--k", "30");
    assertThat(launch.env()).containsEntry("KADMESH_ADVERTISE_ADDRESS", "172.18.0.5:9001")
        .containsEntry("KADMESH_DATA_DIR", "/var/lib/kadmesh");
  }

  @Test
  void node_withAnAdvertiseAddressGiven_doesNotAskHostname() throws Exception {
    hostname("");

    Launch launch = run(Map.of("KADMESH_ADVERTISE_ADDRESS", "10.244.1.7:7701"), "--network", "x");

    assertThat(launch.exit()).isZero();
    assertThat(launch.args()).endsWith("node", "--network", "x");
    assertThat(launch.env()).containsEntry("KADMESH_ADVERTISE_ADDRESS", "10.244.1.7:7701");
  }

  @Test
  void node_whenHostnameKnowsNoAddress_failsWithOneLineSayingWhatToSet() throws Exception {
    hostname("");

    Launch launch = run(Map.of());

    assertThat(launch.exit()).isNotZero();
    assertThat(launch.args()).isEmpty();
    assertThat(launch.stderr().strip()).contains("set KADMESH_ADVERTISE_ADDRESS").doesNotContain("\n");
  }

  @Test
  void health_dialsTheNodesApiPortOnLoopback_withoutThePeerPortsTlsFiles() throws Exception {
    Map<String, String> env = new LinkedHashMap<>(composeEnvironment("node1"));
    env.put("KADMESH_API_ADDRESS", "0.0.0.0:7800");
    env.put("KADMESH_TLS_CERT", "/certs/node.pem");
    env.put("KADMESH_TLS_KEY", "/certs/node.key");
    env.put("KADMESH_TLS_CA", "/certs/ca.pem");

    Launch launch = run(env, "health", "--timeout", "5s");

    assertThat(launch.args()).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Xmx64m", "-jar", HOME + "/kadmesh.jar", "health", "--timeout", "5s");
    assertThat(launch.env()).containsEntry("KADMESH_TARGET", "127.0.0.1:7800")
        .doesNotContainKeys("KADMESH_TLS_CERT", "KADMESH_TLS_KEY", "KADMESH_TLS_CA");
  }

  @Test
  void health_ofTheSidecar_dialsItsLoopbackApi() throws Exception {
    Launch launch = run(composeEnvironment("app-sidecar"), "health");

    assertThat(launch.env()).containsEntry("KADMESH_TARGET", "127.0.0.1:7700");
  }

  @Test
  void health_throughTheRealExecutable_withNoNodeListening_exits3NamingTheAddress()
      throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.createSymbolicLink(home.resolve("kadmesh.jar"), ProcessMesh.JAR.toAbsolutePath());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.delete(bin.resolve("java"));

    Launch launch = run(Map.of("KADMESH_HOME", home.toString(), "JAVA", NodeProcess.javaBinary(),
        "KADMESH_API_ADDRESS", "0.0.0.0:" + port), "health", "--timeout", "5s");

    assertThat(launch.exit()).isEqualTo(3);
    assertThat(launch.stderr().strip())
        .isEqualTo("kadmesh: UNAVAILABLE: could not reach 127.0.0.1:" + port + " (is a node running?)");
  }
}
