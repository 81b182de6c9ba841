package io.kadmesh.cli;

import io.grpc.ManagedChannel;
import io.kadmesh.client.KadmeshChannels;
import io.kadmesh.tls.TlsCredentials.HostCheck;
import io.kadmesh.tls.TlsFiles;

/** Opens the channel a command talks over; tests swap in the in-process transport. */
@FunctionalInterface
public interface ChannelFactory {

  /**
   * Opens a channel to HOST:PORT, in plaintext when {@code tls} is null, else with TLS checking the
   * node's certificate as {@code check} says; the caller shuts it down.
   */
  ManagedChannel open(String target, TlsFiles tls, HostCheck check);

  /** gRPC over the network, as nodes serve it (the client library's channels). */
  static ChannelFactory network() {
    return (target, tls, check) ->
        tls == null ? KadmeshChannels.plaintext(target) : KadmeshChannels.tls(target, tls, check);
  }
}
