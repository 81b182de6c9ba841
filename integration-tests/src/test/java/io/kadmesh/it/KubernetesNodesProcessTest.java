package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kadmesh.cli.bench.NodeProcess;
import io.kadmesh.client.KadmeshClient;
import io.kadmesh.server.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the StatefulSet's node container as the kubelet would, but as processes on loopback: the
 * image's entrypoint script with the container's args and exactly its environment, so that the
 * manifest cannot drift from the flags. What stands in for the cluster, and only that:
 * <ul>
 *   <li>pod i's IP (the downward API's status.podIP) is 127.0.0.(i+1), and its wildcard binds
 *       (0.0.0.0) bind that address, since three pods share one loopback;
 *   <li>the container ports (7701, 7700, 7702) become free ports, the same for every pod, in
 *       every HOST:PORT value of the environment and in the probes;
 *   <li>the volume mount path (/data) becomes a directory per pod;
 *   <li>the headless Service's DNS name resolves, through a hosts file the JVM reads
 *       ({@code jdk.net.hosts.file}, set in JDK_JAVA_OPTIONS), to the three pod addresses: the
 *       bootstrap name is the manifest's, unchanged, and stands for many addresses.
 * </ul>
 */
class KubernetesNodesProcessTest {
  private static final int PODS = 3;

  @TempDir Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<KadmeshClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    clients.forEach(KadmeshClient::close);
    for (NodeProcess node : nodes) {
      node.terminate();
    }
    for (NodeProcess node : nodes) {
      node.close();
    }
  }

  @Test
  void statefulSetPods_runWithTheManifestsEnvironment_becomeReadyAndFindEachOtherThroughTheServiceName()
      throws Exception {
    StatefulSet set = DeploymentFiles.only(DeploymentFiles.loadAll(), StatefulSet.class, "kadmesh");
    Container container = set.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("kadmesh")).findFirst().orElseThrow();
    assertThat(container.getCommand()).as("the image's entrypoint runs, not a command of its own")
        .isNullOrEmpty();
    List<String> podIps = new ArrayList<>();
    for (int i = 0; i < PODS; i++) {
      podIps.add("127.0.0." + (i + 1));
    }
    Map<Integer, Integer> ports = freePorts(container, podIps);
    Path hosts = Files.writeString(dir.resolve("hosts"), podIps.stream()
        .map(ip -> ip + " " + set.getSpec().getServiceName()).collect(Collectors.joining("\n"))
        + "\n127.0.0.1 localhost\n");
    Path home = Files.createDirectories(dir.resolve("kadmesh-home"));
    Files.createSymbolicLink(home.resolve("kadmesh.jar"), ProcessMesh.JAR.toAbsolutePath());

    List<Map<String, String>> environments = new ArrayList<>();
    for (int i = 0; i < PODS; i++) {
      String ip = podIps.get(i);
      Map<String, String> env = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : DeploymentFiles.environment(container, ip).entrySet()) {
        env.put(e.getKey(), onLoopback(e.getValue(), ip, ports, container, dir.resolve("pod-" + i)));
      }
      environments.add(env);
      Map<String, String> process = new HashMap<>(env);
      process.put("PATH", System.getenv("PATH"));
      process.put("JAVA", NodeProcess.javaBinary());
      process.put("KADMESH_HOME", home.toString());
      Path tmp = Files.createDirectories(dir.resolve("pod-" + i + "-tmp"));
      // Read by the java launcher itself: the manifest's KADMESH_JAVA_OPTS stay as they are.
      process.put("JDK_JAVA_OPTIONS", "-Djdk.net.hosts.file=" + hosts + " -Xmx192m"
          + " -Djava.io.tmpdir=" + tmp);
      List<String> command = new ArrayList<>(List.of("bash", DeploymentFiles.ENTRYPOINT.toString()));
      command.addAll(container.getArgs());
      nodes.add(NodeLauncher.start(command, process));
    }

    for (int i = 0; i < PODS; i++) {
      NodeProcess node = nodes.get(i);
      assertThat(node.peerAddress()).as("advertised: the pod IP and the peer port")
          .isEqualTo(podIps.get(i) + ":" + ports.get(containerPort(container, "peer")));
      assertThat(node.apiAddress()).isEqualTo(environments.get(i).get("KADMESH_API_ADDRESS"));
    }
    for (int i = 0; i < PODS; i++) {
      String ip = podIps.get(i);
      awaitServing(probeTarget(container.getReadinessProbe(), ip, ports),
          service(container.getReadinessProbe()), i);
      assertThat(check(probeTarget(container.getLivenessProbe(), ip, ports),
          service(container.getLivenessProbe()))).isEqualTo(ServingStatus.SERVING);
    }
    // Each pod found both others through the one bootstrap name that stands for all three.
    for (int i = 0; i < PODS; i++) {
      // The connected client owns the channel (closed with the others); withTimeout is a view.
      KadmeshClient connected = KadmeshClient.connect(nodes.get(i).apiAddress());
      clients.add(connected);
      KadmeshClient client = connected.withTimeout(Duration.ofSeconds(5));
      int pod = i;
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertThat(client.info().liveContacts())
              .as("live contacts of pod %d\n%s", pod, nodes.get(pod).logText())
              .isEqualTo(PODS - 1));
    }
  }

  /**
   * One value of the environment as it is on loopback: in each HOST:PORT of it (a comma-separated
   * list too), a container port becomes its free port and a wildcard host the pod's address; a
   * path under a volume mount moves into the pod's directory.
   */
  private static String onLoopback(String value, String podIp, Map<Integer, Integer> ports,
      Container container, Path podDir) throws IOException {
    for (VolumeMount mount : container.getVolumeMounts()) {
      if (value.equals(mount.getMountPath()) || value.startsWith(mount.getMountPath() + "/")) {
        Path moved = podDir.resolve(mount.getName())
            .resolve(value.substring(mount.getMountPath().length()).replaceFirst("^/", ""));
        return Files.createDirectories(moved).toString();
      }
    }
    List<String> items = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      if (!HostPort.isValid(item) || !ports.containsKey(HostPort.parse(item).port())) {
        items.add(item);
        continue;
      }
      HostPort hp = HostPort.parse(item);
      String host = hp.isWildcard() ? podIp : hp.host();
      items.add(new HostPort(host, ports.get(hp.port())).toString());
    }
    return String.join(",", items);
  }

  /** A free port for each container port, free on every pod address. */
  private static Map<Integer, Integer> freePorts(Container container, List<String> podIps)
      throws IOException {
    Map<Integer, Integer> out = new HashMap<>();
    Set<Integer> taken = new HashSet<>();
    for (ContainerPort p : container.getPorts()) {
      int port = freeOnAll(podIps, taken);
      taken.add(port);
      out.put(p.getContainerPort(), port);
    }
    return out;
  }

  private static int freeOnAll(List<String> hosts, Set<Integer> taken) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(hosts.get(0)))) {
        port = s.getLocalPort();
      }
      if (!taken.contains(port) && bindsOnAll(hosts, port)) {
        return port;
      }
    }
    throw new IOException("no port free on all of " + hosts);
  }

  private static boolean bindsOnAll(List<String> hosts, int port) {
    for (String host : hosts) {
      try {
        new ServerSocket(port, 1, InetAddress.getByName(host)).close(); // free here
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static int containerPort(Container c, String name) {
    return c.getPorts().stream().filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort).findFirst().orElseThrow();
  }

  /** Where the kubelet's gRPC probe dials: the pod's address at the probe's (mapped) port. */
  private static String probeTarget(Probe probe, String podIp, Map<Integer, Integer> ports) {
    assertThat(probe.getGrpc()).isNotNull();
    return new HostPort(podIp, ports.get(probe.getGrpc().getPort())).toString();
  }

  private static String service(Probe probe) {
    String s = probe.getGrpc().getService();
    return s == null ? "" : s;
  }

  private void awaitServing(String target, String service, int pod) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(checkOrNull(target, service))
            .as("readiness of pod %d\n%s", pod, nodes.get(pod).logText())
            .isEqualTo(ServingStatus.SERVING));
  }

  private ServingStatus checkOrNull(String target, String service) {
    try {
      return check(target, service);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private ServingStatus check(String target, String service) {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    } finally {
      channel.shutdownNow();
    }
  }
}
