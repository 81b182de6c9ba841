package io.kadmesh.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One network namespace per node, made by the test and removed on close. Each has a "data" veth
 * whose root-side end sits on bridge A or bridge B (moving it is a clean cut) and a "control" veth
 * on a third bridge that holds the only root-namespace address, so the test reaches each node's API
 * and nothing else. There are no default routes: traffic never leaves these namespaces.
 */
final class NamespaceNetwork implements AutoCloseable {
  static final String IP = "/usr/sbin/ip";
  private static final String DATA_NET = "10.213.1.";
  private static final int PEER_PORT = 7701;
  private static final int API_PORT = 7700;

  private final String tag;
  private final String controlNet;
  private final int nodes;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> rootLinks = new ArrayList<>();

  private NamespaceNetwork(String tag, String controlNet, int nodes) {
    this.tag = tag;
    this.controlNet = controlNet;
    this.nodes = nodes;
  }

  /** Makes the namespaces, bridges and links, or removes what it made and throws. */
  static NamespaceNetwork create(int nodes) throws IOException, InterruptedException {
    Random random = new Random();
    String tag = String.format("%04x", random.nextInt(0x10000));
    String routes = ip("-4", "route", "show", "table", "all") + ip("-4", "addr", "show");
    String controlNet;
    do {
      // A control subnet no other interface of the root namespace uses, so that runs side by side
      // do not collide; the data subnet exists only inside the namespaces.
      controlNet = "10.213." + (20 + random.nextInt(230)) + ".";
    } while (routes.contains(controlNet));
    NamespaceNetwork net = new NamespaceNetwork(tag, controlNet, nodes);
    try {
      net.build();
    } catch (IOException | InterruptedException | RuntimeException e) {
      net.close();
      throw e;
    }
    return net;
  }

  private void build() throws IOException, InterruptedException {
    for (String bridge : List.of(bridgeA(), bridgeB(), bridgeControl())) {
      ip("link", "add", bridge, "type", "bridge");
      rootLinks.add(bridge);
      ip("link", "set", bridge, "up");
    }
    ip("addr", "add", controlNet + "254/24", "dev", bridgeControl());
    for (int i = 0; i < nodes; i++) {
      String ns = namespace(i);
      ip("netns", "add", ns);
      namespaces.add(ns);
      ip("-n", ns, "link", "set", "lo", "up");
      link(ns, dataLink(i), "data0", bridgeA(), dataAddress(i));
      link(ns, controlLink(i), "ctl0", bridgeControl(), controlNet + (i + 1));
    }
  }

  private void link(String ns, String rootEnd, String nsEnd, String bridge, String address)
      throws IOException, InterruptedException {
    ip("link", "add", rootEnd, "type", "veth", "peer", "name", nsEnd, "netns", ns);
    rootLinks.add(rootEnd);
    ip("link", "set", rootEnd, "master", bridge);
    ip("link", "set", rootEnd, "up");
    ip("-n", ns, "addr", "add", address + "/24", "dev", nsEnd);
    ip("-n", ns, "link", "set", nsEnd, "up");
  }

  String namespace(int i) {
    return "km-" + tag + "-" + i;
  }

  /** The command prefix that runs a program in node {@code i}'s namespace. */
  List<String> prefix(int i) {
    return List.of(IP, "netns", "exec", namespace(i));
  }

  String dataAddress(int i) {
    return DATA_NET + (i + 1);
  }

  /** Where node {@code i} serves peers, inside its namespace. */
  String peerAddress(int i) {
    return dataAddress(i) + ":" + PEER_PORT;
  }

  /** Where node {@code i} serves applications, reachable from the root namespace. */
  String apiAddress(int i) {
    return controlNet + (i + 1) + ":" + API_PORT;
  }

  /** Puts node {@code i}'s data link on side B (cut from side A) or back on side A. */
  void moveToSide(int i, boolean sideB) throws IOException, InterruptedException {
    ip("link", "set", dataLink(i), "master", sideB ? bridgeB() : bridgeA());
  }

  private String bridgeA() {
    return "kmba" + tag;
  }

  private String bridgeB() {
    return "kmbb" + tag;
  }

  private String bridgeControl() {
    return "kmbc" + tag;
  }

  private String dataLink(int i) {
    return "kmvd" + tag + i;
  }

  private String controlLink(int i) {
    return "kmvc" + tag + i;
  }

  /** Deletes the namespaces (and the veths in them) and the bridges; tries every one. */
  @Override
  public void close() throws InterruptedException {
    for (String ns : namespaces) {
      try {
        ip("netns", "del", ns);
      } catch (IOException e) {
        System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
      }
    }
    String links;
    try {
      links = ip("-o", "link", "show");
    } catch (IOException e) {
      links = "";
    }
    for (String link : rootLinks) {
      // A veth goes with its namespace end; what is still there goes now.
      if (links.contains(" " + link + ":") || links.contains(" " + link + "@")) {
        try {
          ip("link", "del", link);
        } catch (IOException e) {
          System.err.println("could not delete link " + link + ": " + e.getMessage());
        }
      }
    }
  }

  /** Runs {@code ip} with these arguments; its output, or an IOException that quotes it. */
  static String ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(IP));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in 10 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.strip());
    }
    return out;
  }
}
