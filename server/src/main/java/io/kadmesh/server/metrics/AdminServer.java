package io.kadmesh.server.metrics;

import com.sun.net.httpserver.HttpHandler;
import io.kadmesh.server.HostPort;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;

/**
 * A node's metrics registry and its admin HTTP port, which serves {@code /metrics} through the
 * Prometheus Java client's exporter (text format, or protobuf when a scraper asks for it), and the
 * dashboard on every other path when given one.
 *
 * <p>Each node has its own registry, never the client's global default, so that several nodes in
 * one JVM (tests, {@code kadmesh bench}) keep their figures apart.
 */
public final class AdminServer implements AutoCloseable {
  /** The value of {@code --admin-address} that turns the admin port off. */
  public static final String OFF = "off";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private HTTPServer http;

  /** True when {@code address} is null, blank or "off" (case-insensitive): no admin port. */
  public static boolean isOff(String address) {
    return address == null || address.isBlank() || address.strip().toLowerCase(Locale.ROOT).equals(OFF);
  }

  /** The registry every metric of this node is registered with. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Adds the JVM's and the process's metrics (memory, GC, threads, CPU, open files). Only where a
   * process runs one node: they describe the process, not the node. Their collectors are made on
   * the first scrape ({@link LazyJvmMetrics}).
   */
  public void registerJvmMetrics() {
    registry.register(new LazyJvmMetrics());
  }

  /** Binds {@code address} (port 0: any free port) and serves the registry. Once. */
  public synchronized void start(HostPort address) throws IOException {
    start(address, null);
  }

  /**
   * As {@link #start(HostPort)}, and {@code pages} answers every path but {@code /metrics} and
   * {@code /-/healthy} (the dashboard); null leaves the exporter's own index page.
   */
  public synchronized void start(HostPort address, HttpHandler pages) throws IOException {
    if (http != null) {
      throw new IllegalStateException("the admin port starts once");
    }
    HTTPServer.Builder builder = HTTPServer.builder()
        .inetAddress(InetAddress.getByName(address.host()))
        .port(address.port())
        .registry(registry);
    if (pages != null) {
      builder.defaultHandler(pages);
    }
    http = builder.buildAndStart();
  }

  /** The bound port, or -1 when the admin port is not serving. */
  public synchronized int port() {
    return http == null ? -1 : http.getPort();
  }

  @Override
  public synchronized void close() {
    if (http != null) {
      http.close();
      http = null;
    }
  }
}
