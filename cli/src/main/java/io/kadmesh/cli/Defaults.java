package io.kadmesh.cli;

import io.kadmesh.core.NodeConfig;

/** The default addresses and network name that a node and the command line agree on. */
public final class Defaults {

  /** Where a node serves the application API unless told otherwise, and where the CLI looks. */
  public static final String API_ADDRESS = "127.0.0.1:7700";

  /** Where a node listens for peers unless told otherwise. */
  public static final String PEER_ADDRESS = "0.0.0.0:7701";

  /** Where a node serves its admin HTTP port (/metrics) unless told otherwise ("off": none). */
  public static final String ADMIN_ADDRESS = "127.0.0.1:7702";

  /** The network name a node joins, and that {@code kadmesh ping} announces, unless told otherwise. */
  public static final String NETWORK = NodeConfig.DEFAULT_NETWORK;

  /** The deadline of each call the command line makes, as a flag value. */
  public static final String TIMEOUT = "10s";

  private Defaults() {}
}
