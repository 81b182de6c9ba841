package io.kadmesh.client.resolver;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * What a {@code kadmesh://[NODE]/SERVICE} target names: the node whose API port answers the watch
 * (the target's authority, else {@code KADMESH_TARGET}, else a node's default API address) and the
 * service.
 */
record KadmeshTarget(String nodeAddress, String service) {

  /** A node's default API address, as the command line's {@code --target} default. */
  static final String DEFAULT_NODE_ADDRESS = "127.0.0.1:7700";

  /** The environment variable that names the node when the target has no authority. */
  static final String NODE_ADDRESS_ENV = "KADMESH_TARGET";

  /** The longest service name a node accepts, in UTF-8 bytes. */
  static final int MAX_SERVICE_BYTES = 256;

  /**
   * Reads a kadmesh target; {@code env} looks up environment variables. Throws
   * IllegalArgumentException naming what is wrong, so that building the channel fails at once.
   */
  static KadmeshTarget parse(URI target, Function<String, String> env) {
    String path = target.getPath();
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "target " + target + ": expected kadmesh:///SERVICE or kadmesh://HOST:PORT/SERVICE");
    }
    String service = path.substring(1);
    int bytes = service.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > MAX_SERVICE_BYTES) {
      throw new IllegalArgumentException(
          "target " + target + ": service must be 1 to " + MAX_SERVICE_BYTES + " bytes of UTF-8, was " + bytes);
    }
    return new KadmeshTarget(nodeAddress(target, env), service);
  }

  private static String nodeAddress(URI target, Function<String, String> env) {
    String authority = target.getAuthority();
    if (authority != null && !authority.isEmpty()) {
      return authority;
    }
    String fromEnv = env.apply(NODE_ADDRESS_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    return DEFAULT_NODE_ADDRESS;
  }
}
