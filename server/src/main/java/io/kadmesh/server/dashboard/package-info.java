/**
 * The dashboard on the admin port: {@link io.kadmesh.server.dashboard.DashboardHandler} serves
 * one page ({@code /}: HTML, a script, a style sheet, classpath resources beside this package, no
 * build step, nothing fetched from elsewhere) and {@code /api/status}, the JSON the page draws
 * from, which {@link io.kadmesh.server.dashboard.StatusJson} renders from the node's state
 * ({@link io.kadmesh.server.metrics.NodeStatus}, the routing table's snapshot), the node's own
 * metrics registry ({@link io.kadmesh.server.dashboard.MetricsJson}) and the recent failures.
 *
 * <p>Layering: reads the core and {@code server.metrics}; no gRPC types. The page refreshes itself
 * every 2 s and computes operation rates from the counters' deltas between refreshes.
 */
package io.kadmesh.server.dashboard;
