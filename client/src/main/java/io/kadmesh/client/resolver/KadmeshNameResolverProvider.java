package io.kadmesh.client.resolver;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.kadmesh.client.KadmeshChannels;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Resolves {@code kadmesh:///SERVICE} targets to the endpoints announced under SERVICE, kept
 * current by a watch on a node (registered through META-INF/services, so that {@code
 * Grpc.newChannelBuilder("kadmesh:///orders", credentials)} finds it).
 *
 * <p>The node is the target's authority ({@code kadmesh://127.0.0.1:7700/orders}), else the
 * environment variable {@code KADMESH_TARGET}, else 127.0.0.1:7700; the resolver talks to it in
 * plaintext, as to a loopback API port. Each endpoint becomes one address group carrying its
 * metadata as {@link #ENDPOINT_METADATA}; pair the channel with {@code round_robin} to spread calls
 * over them.
 */
public final class KadmeshNameResolverProvider extends NameResolverProvider {

  /** The target scheme this provider resolves. */
  public static final String SCHEME = "kadmesh";

  /** What the announcer said of an endpoint ("zone", "weight", …), on its address group. */
  @EquivalentAddressGroup.Attr
  public static final Attributes.Key<Map<String, String>> ENDPOINT_METADATA =
      Attributes.Key.create("io.kadmesh.endpoint-metadata");

  private final Function<String, String> env;

  /** The provider that the service loader makes; it reads the process environment. */
  public KadmeshNameResolverProvider() {
    this(System::getenv);
  }

  KadmeshNameResolverProvider(Function<String, String> env) {
    this.env = env;
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    KadmeshTarget target = KadmeshTarget.parse(targetUri, env);
    // dns:/// spelled out: the node's address must never come back to this provider.
    return new KadmeshNameResolver(
        target, args, address -> KadmeshChannels.plaintext("dns:///" + address), ReconnectBackoff.standard());
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    // Below DNS's 5: the registry makes its highest-priority provider the default scheme of every
    // target written without one ("127.0.0.1:7700"), and that must stay DNS.
    return 4;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }
}
