package io.kadmesh.it;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kadmesh.cli.EnvironmentDefaultProvider;
import io.kadmesh.cli.NodeCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The repository's deployment files as tests read them: the Kubernetes manifests loaded into
 * fabric8's typed models, the compose file and the kustomization as YAML trees, a container's
 * environment as the kubelet would set it, and the variables `kadmesh node` reads.
 */
final class DeploymentFiles {
  static final Path ROOT = Path.of(System.getProperty("kadmesh.root", ".."));
  static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
  static final Path COMPOSE = ROOT.resolve("deploy/compose/docker-compose.yml");
  static final Path ENTRYPOINT = ROOT.resolve("docker/entrypoint.sh");
  static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
  /** Not a Kubernetes object: kustomize's own file. */
  static final String KUSTOMIZATION = "kustomization.yaml";
  /** Variables the entrypoint script reads itself; the CLI has no flag for them. */
  static final Set<String> ENTRYPOINT_VARIABLES = Set.of("KADMESH_JAVA_OPTS", "KADMESH_HOME");

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private DeploymentFiles() {}

  /** The manifest files of deploy/kubernetes, kustomization.yaml aside, by name. */
  static List<Path> manifestFiles() throws IOException {
    try (Stream<Path> files = Files.list(KUBERNETES)) {
      return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(p -> !p.getFileName().toString().equals(KUSTOMIZATION))
          .sorted()
          .toList();
    }
  }

  /** Every object in one manifest file (several documents separated by ---). */
  static List<HasMetadata> load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Object loaded = YAML.unmarshal(in);
      if (loaded instanceof KubernetesList list) {
        return list.getItems();
      }
      if (loaded instanceof List<?> list) {
        List<HasMetadata> out = new ArrayList<>();
        for (Object o : list) {
          out.add((HasMetadata) o);
        }
        return out;
      }
      return List.of((HasMetadata) loaded);
    }
  }

  /** Every object of every manifest under deploy/kubernetes. */
  static List<HasMetadata> loadAll() throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    for (Path file : manifestFiles()) {
      out.addAll(load(file));
    }
    return out;
  }

  /** The one object of this type (and name, when given) among {@code objects}. */
  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type, String name) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> name == null || name.equals(o.getMetadata().getName()))
        .toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " named " + name
          + ", found " + found.size());
    }
    return found.get(0);
  }

  /** A YAML file as a tree of maps and lists (the compose file, the kustomization). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yamlTree(Path file) throws IOException {
    return YAML.unmarshal(Files.readString(file), Map.class);
  }

  /** A JSON or YAML document as a tree of maps and lists. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> tree(String text) {
    return YAML.unmarshal(text, Map.class);
  }

  /**
   * A container's environment as the kubelet sets it: plain values, the pod IP from the downward
   * API ({@code fieldRef: status.podIP}) replaced by {@code podIp}, and {@code $(VAR)} references
   * to variables defined before expanded (Kubernetes leaves unknown ones as they are).
   */
  static Map<String, String> environment(Container container, String podIp) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      String value;
      if (var.getValueFrom() != null) {
        String field = var.getValueFrom().getFieldRef() == null ? null
            : var.getValueFrom().getFieldRef().getFieldPath();
        if (!"status.podIP".equals(field)) {
          throw new AssertionError(var.getName() + ": only status.podIP is read from the downward "
              + "API in these tests, not " + var.getValueFrom());
        }
        value = podIp;
      } else {
        value = expand(var.getValue() == null ? "" : var.getValue(), env);
      }
      env.put(var.getName(), value);
    }
    return env;
  }

  private static String expand(String value, Map<String, String> defined) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = defined.getOrDefault(m.group(1), m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The variables `kadmesh node` reads, one per flag: KADMESH_PEER_ADDRESS, KADMESH_BOOTSTRAP, … */
  static Set<String> nodeVariables() {
    Set<String> out = new TreeSet<>();
    for (OptionSpec option : new CommandLine(new NodeCommand()).getCommandSpec().options()) {
      if (!option.usageHelp() && !option.versionHelp()) {
        out.add(EnvironmentDefaultProvider.variableFor(option.longestName()));
      }
    }
    return out;
  }

  /** The KADMESH_* names among {@code env} that neither a node flag nor the entrypoint reads. */
  static Set<String> unknownVariables(Map<String, ?> env) {
    Set<String> known = nodeVariables();
    Set<String> out = new TreeSet<>();
    for (String name : env.keySet()) {
      if (name.startsWith(EnvironmentDefaultProvider.PREFIX) && !known.contains(name)
          && !ENTRYPOINT_VARIABLES.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }
}
