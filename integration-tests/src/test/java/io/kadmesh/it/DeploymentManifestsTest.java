package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kadmesh.server.HostPort;
import io.kadmesh.server.grpc.KadmeshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The deployment files read as Kubernetes and Compose read them (typed fabric8 models, YAML trees):
 * kinds, probes, ports, volumes and the environment agree with each other and with the flags of
 * `kadmesh node`. No cluster or daemon is needed; {@link KubernetesNodesProcessTest} runs the nodes.
 */
class DeploymentManifestsTest {

  private static Container container(PodSpec pod, String name) {
    return pod.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  private static int containerPort(Container c, String name) {
    return c.getPorts().stream().filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no port named " + name));
  }

  private static StatefulSet statefulSet() throws Exception {
    return DeploymentFiles.only(DeploymentFiles.loadAll(), StatefulSet.class, "kadmesh");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyManifest_loadsIntoTypedModels_andKustomizeListsEachFile() throws Exception {
    List<HasMetadata> all = DeploymentFiles.loadAll();

    assertThat(all.stream().map(HasMetadata::getKind).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("Service", "StatefulSet", "PodDisruptionBudget", "ConfigMap",
            "Deployment");
    assertThat(all).allSatisfy(o -> assertThat(o.getMetadata().getName()).isNotBlank());
    Map<String, Object> kustomization =
        DeploymentFiles.yamlTree(DeploymentFiles.KUBERNETES.resolve(DeploymentFiles.KUSTOMIZATION));
    assertThat(kustomization).containsEntry("kind", "Kustomization");
    assertThat((List<Object>) kustomization.get("resources")).containsExactlyInAnyOrderElementsOf(
        DeploymentFiles.manifestFiles().stream().map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void statefulSet_isGovernedByAHeadlessServiceThatPublishesPodsBeforeTheyAreReady()
      throws Exception {
    List<HasMetadata> all = DeploymentFiles.loadAll();
    StatefulSet set = DeploymentFiles.only(all, StatefulSet.class, "kadmesh");
    Service peers = DeploymentFiles.only(all, Service.class, set.getSpec().getServiceName());

    assertThat(peers.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(peers.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(set.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(peers.getSpec().getSelector());
    assertThat(set.getSpec().getSelector().getMatchLabels())
        .isEqualTo(peers.getSpec().getSelector());
    assertThat(set.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    // A node is ready only once it has reached a peer: started one by one, none would be.
    assertThat(set.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
  }

  @Test
  void nodeContainer_bootstrapsThroughTheHeadlessServiceName_andAdvertisesThePodIp()
      throws Exception {
    StatefulSet set = statefulSet();
    Container node = container(set.getSpec().getTemplate().getSpec(), "kadmesh");
    int peerPort = containerPort(node, "peer");
    Map<String, String> env = DeploymentFiles.environment(node, "10.244.1.7");

    HostPort bootstrap = HostPort.parse(env.get("KADMESH_BOOTSTRAP"));
    assertThat(bootstrap.host()).isEqualTo(set.getSpec().getServiceName());
    assertThat(bootstrap.port()).isEqualTo(peerPort);
    assertThat(env).containsEntry("KADMESH_ADVERTISE_ADDRESS", "10.244.1.7:" + peerPort);
    assertThat(HostPort.parse(env.get("KADMESH_PEER_ADDRESS")).port()).isEqualTo(peerPort);
    assertThat(HostPort.parse(env.get("KADMESH_API_ADDRESS")).port())
        .isEqualTo(containerPort(node, "api"));
    assertThat(HostPort.parse(env.get("KADMESH_ADMIN_ADDRESS")).port())
        .isEqualTo(containerPort(node, "admin"));
    assertThat(DeploymentFiles.unknownVariables(env)).as("KADMESH_* no flag reads").isEmpty();
  }

  @Test
  void nodeContainer_probesGrpcHealthOnTheApiPort_livenessByTheNameThatIgnoresJoining()
      throws Exception {
    Container node = container(statefulSet().getSpec().getTemplate().getSpec(), "kadmesh");
    int api = containerPort(node, "api");

    for (Probe probe : List.of(node.getReadinessProbe(), node.getLivenessProbe(),
        node.getStartupProbe())) {
      assertThat(probe.getGrpc()).as("a gRPC probe").isNotNull();
      assertThat(probe.getGrpc().getPort()).isEqualTo(api);
    }
    String readiness = node.getReadinessProbe().getGrpc().getService();
    assertThat(readiness == null ? "" : readiness).as("readiness: the whole node").isEmpty();
    assertThat(node.getLivenessProbe().getGrpc().getService())
        .isEqualTo(KadmeshServer.LIVENESS_HEALTH_NAME);
    assertThat(node.getStartupProbe().getGrpc().getService())
        .isEqualTo(KadmeshServer.LIVENESS_HEALTH_NAME);
  }

  @Test
  void nodeContainer_keepsItsDataDirOnAPersistentVolume_andHasRequestsAndLimits()
      throws Exception {
    StatefulSet set = statefulSet();
    Container node = container(set.getSpec().getTemplate().getSpec(), "kadmesh");
    Map<String, String> env = DeploymentFiles.environment(node, "10.244.1.7");

    VolumeMount data = node.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(env.get("KADMESH_DATA_DIR"))).findFirst()
        .orElseThrow(() -> new AssertionError("KADMESH_DATA_DIR is on no volume mount"));
    assertThat(set.getSpec().getVolumeClaimTemplates())
        .anySatisfy(claim -> assertThat(claim.getMetadata().getName()).isEqualTo(data.getName()));
    assertThat(node.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(node.getResources().getLimits()).containsKey("memory");
    assertThat(set.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
        .isTrue();
  }

  @Test
  void sidecarExample_servesTheApiOnLoopback_andMountsTheXdsBootstrapForTheApp() throws Exception {
    List<HasMetadata> all = DeploymentFiles.loadAll();
    Deployment app = DeploymentFiles.only(all, Deployment.class, null);
    PodSpec pod = app.getSpec().getTemplate().getSpec();
    Container sidecar = container(pod, "kadmesh");
    Container application = pod.getContainers().stream().filter(c -> c != sidecar).findFirst()
        .orElseThrow();
    Map<String, String> sidecarEnv = DeploymentFiles.environment(sidecar, "10.244.2.9");
    Map<String, String> appEnv = DeploymentFiles.environment(application, "10.244.2.9");

    HostPort api = HostPort.parse(sidecarEnv.get("KADMESH_API_ADDRESS"));
    assertThat(api.host()).isEqualTo("127.0.0.1");
    assertThat(sidecarEnv).containsEntry("KADMESH_ADVERTISE_ADDRESS",
        "10.244.2.9:" + containerPort(sidecar, "peer"));
    assertThat(DeploymentFiles.unknownVariables(sidecarEnv)).isEmpty();

    // The bootstrap file the app's gRPC reads: mounted from the ConfigMap, pointing at the sidecar.
    Path bootstrapFile = Path.of(appEnv.get("GRPC_XDS_BOOTSTRAP"));
    VolumeMount mount = application.getVolumeMounts().stream()
        .filter(m -> bootstrapFile.startsWith(m.getMountPath())).findFirst()
        .orElseThrow(() -> new AssertionError("GRPC_XDS_BOOTSTRAP is on no volume mount"));
    Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
        .findFirst().orElseThrow();
    ConfigMap config = DeploymentFiles.only(all, ConfigMap.class, volume.getConfigMap().getName());
    String json = config.getData().get(bootstrapFile.getFileName().toString());
    assertThat(json).as("the ConfigMap key named as the file").isNotNull();
    Map<String, Object> bootstrap = DeploymentFiles.tree(json);
    @SuppressWarnings("unchecked")
    Map<String, Object> server = ((List<Map<String, Object>>) bootstrap.get("xds_servers")).get(0);
    assertThat(server.get("server_uri")).isEqualTo(api.toString());
    assertThat((List<Object>) server.get("server_features")).contains("xds_v3");
    assertThat(bootstrap.get("node")).asInstanceOf(
        org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("id");
    // The kubelet cannot dial a loopback API: the sidecar's probes must not be gRPC ones.
    assertThat(sidecar.getReadinessProbe().getGrpc()).isNull();
    assertThat(sidecar.getReadinessProbe().getExec().getCommand())
        .startsWith("/opt/kadmesh/entrypoint.sh", "health");
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeFile_runsThreeNodesThatBootstrapFromEachOther_andAnAppOnItsSidecar()
      throws Exception {
    Map<String, Object> compose = DeploymentFiles.yamlTree(DeploymentFiles.COMPOSE);
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    Set<String> nodes = Set.of("node1", "node2", "node3");
    assertThat(services).containsKeys("node1", "node2", "node3", "app-sidecar", "app");

    for (String name : List.of("node1", "node2", "node3", "app-sidecar")) {
      Map<String, Object> service = services.get(name);
      Map<String, Object> env = (Map<String, Object>) service.get("environment");
      assertThat(DeploymentFiles.unknownVariables(env)).as(name).isEmpty();
      Set<String> bootstrapHosts = Set.of(((String) env.get("KADMESH_BOOTSTRAP")).split(","))
          .stream().map(a -> HostPort.parse(a).host()).collect(Collectors.toSet());
      assertThat(bootstrapHosts).as(name + " bootstraps through every node").isEqualTo(nodes);
      assertThat((List<String>) service.get("volumes")).anyMatch(v -> v.endsWith(":/data"));
    }
    Map<String, Object> app = services.get("app");
    assertThat(app.get("network_mode")).isEqualTo("service:app-sidecar");
    Map<String, Object> sidecarEnv = (Map<String, Object>) services.get("app-sidecar").get("environment");
    String api = (String) sidecarEnv.get("KADMESH_API_ADDRESS");
    assertThat(api).startsWith("127.0.0.1:");
    assertThat(String.join(" ", (List<String>) app.get("command"))).contains("mesh.py " + api);
  }

  @Test
  void dockerfile_exposesTheDefaultPorts_runsTheEntrypoint_andChecksHealthThroughIt()
      throws Exception {
    String dockerfile = Files.readString(DeploymentFiles.DOCKERFILE);
    String entrypoint = Files.readString(DeploymentFiles.ENTRYPOINT);

    assertThat(dockerfile).contains("COPY docker/entrypoint.sh /opt/kadmesh/entrypoint.sh")
        .contains("ENTRYPOINT [\"/opt/kadmesh/entrypoint.sh\"]")
        .contains("CMD [\"/opt/kadmesh/entrypoint.sh\", \"health\"")
        .contains("VOLUME [\"/data\"]")
        .containsPattern("(?m)^USER kadmesh")
        .containsPattern("(?m)^EXPOSE 7701 7700 7702$");
    assertThat(entrypoint).contains("default KADMESH_PEER_ADDRESS \"0.0.0.0:7701\"")
        .contains("default KADMESH_API_ADDRESS \"0.0.0.0:7700\"")
        .contains("default KADMESH_ADMIN_ADDRESS \"0.0.0.0:7702\"")
        .contains("default KADMESH_DATA_DIR \"/data\"");
  }
}
