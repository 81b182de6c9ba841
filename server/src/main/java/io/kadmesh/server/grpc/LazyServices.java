package io.kadmesh.server.grpc;

import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.util.MutableHandlerRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A port's services added after its server was built, some of them made only when first needed:
 * the first call to one of their methods, or the first listing of the services (reflection), builds
 * them. Why: a service whose classes are heavy (the xDS control plane's) costs a sidecar that never
 * uses it neither the start time nor the memory, and a client sees no difference.
 */
final class LazyServices extends HandlerRegistry {
  private final MutableHandlerRegistry services = new MutableHandlerRegistry();
  /** Service name to what makes it, until it is made. */
  private final Map<String, Supplier<ServerServiceDefinition>> pending = new ConcurrentHashMap<>();

  /** Serves {@code service} from now on. */
  void addService(ServerServiceDefinition service) {
    services.addService(service);
  }

  /**
   * Serves the service named {@code serviceName}, which {@code make} builds on its first call or
   * listing (once, on the caller's thread).
   */
  void addLazyService(String serviceName, Supplier<ServerServiceDefinition> make) {
    pending.put(serviceName, make);
  }

  /** Builds the named service now if it is still pending; true when this call built it. */
  boolean make(String serviceName) {
    if (pending.isEmpty()) return false;
    synchronized (this) {
      Supplier<ServerServiceDefinition> make = pending.get(serviceName);
      if (make == null) return false;
      services.addService(make.get());
      pending.remove(serviceName);
      return true;
    }
  }

  @Override
  public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
    // Cheap for every call once nothing is pending: one isEmpty on an empty map.
    if (!pending.isEmpty()) {
      String service = MethodDescriptor.extractFullServiceName(methodName);
      if (service != null) make(service);
    }
    return services.lookupMethod(methodName, authority);
  }

  @Override
  public List<ServerServiceDefinition> getServices() {
    for (String service : List.copyOf(pending.keySet())) make(service);
    return services.getServices();
  }
}
