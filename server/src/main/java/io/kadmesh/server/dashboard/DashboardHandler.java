package io.kadmesh.server.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Serves the dashboard on the admin port: the page ({@code /}, {@code /dashboard.js}, {@code
 * /dashboard.css}, read once from the classpath) and {@code /api/status}, the JSON it refreshes
 * from. Everything else is 404; only GET and HEAD are answered. The page may load nothing but its
 * own files (a Content-Security-Policy says so to the browser), and it writes node-supplied text
 * only as text, never as markup.
 */
public final class DashboardHandler implements HttpHandler {
  /** Where the page's files are, beside this class. */
  static final String RESOURCES = "/io/kadmesh/server/dashboard/";
  static final String STATUS_PATH = "/api/status";
  private static final String POLICY = "default-src 'self'; img-src 'self' data:;"
      + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private record Asset(byte[] body, String type) {}

  private final Map<String, Asset> assets;
  private final Supplier<String> status;

  /**
   * {@code status} renders {@code /api/status}; it answers null while the node is not built yet
   * (the admin port binds first), which is answered 503.
   */
  public DashboardHandler(Supplier<String> status) {
    this.status = Objects.requireNonNull(status, "status");
    this.assets = Map.of(
        "/", asset("index.html", "text/html; charset=utf-8"),
        "/index.html", asset("index.html", "text/html; charset=utf-8"),
        "/dashboard.js", asset("dashboard.js", "text/javascript; charset=utf-8"),
        "/dashboard.css", asset("dashboard.css", "text/css; charset=utf-8"));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      Headers headers = exchange.getResponseHeaders();
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Referrer-Policy", "no-referrer");
      headers.set("Content-Security-Policy", POLICY);
      if (!method.equals("GET") && !method.equals("HEAD")) {
        headers.set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (STATUS_PATH.equals(path)) {
        String json = status.get();
        headers.set("Cache-Control", "no-store");
        if (json == null) {
          send(exchange, 503, "application/json", "{\"error\":\"the node is starting\"}".getBytes(StandardCharsets.UTF_8));
        } else {
          send(exchange, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
        return;
      }
      Asset asset = assets.get(path);
      if (asset == null) {
        send(exchange, 404, "text/plain; charset=utf-8",
            "not found; the dashboard is at /, the metrics at /metrics\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      headers.set("Cache-Control", "no-cache");
      send(exchange, 200, asset.type(), asset.body());
    }
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Asset asset(String name, String type) {
    try (InputStream in = DashboardHandler.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's " + name + " is missing from the classpath");
      }
      return new Asset(in.readAllBytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
