/**
 * Watch: changes reach watchers between peers, not by polling. A key's replicas keep a table of
 * subscribers ({@link io.kadmesh.core.watch.Subscriptions}) and notify each of every new version
 * their store accepts; a watching node holds one shared subscription per key and kind
 * ({@link io.kadmesh.core.watch.Watches}), renews it at half its TTL after a fresh lookup (so it
 * follows the replicas when the k closest change), and merges what replicas send into a view of
 * the key ({@link io.kadmesh.core.watch.KeyView}) or of a service's endpoints
 * ({@link io.kadmesh.core.watch.EndpointView}).
 *
 * <p>Guarantee to a watcher: per key and per endpoint, versions only grow; changes close together
 * may coalesce into the newest; a possible gap (a lapsed or late renewal, a changed replica set, a
 * change that only a renewal brought) is always announced by RESYNC, then the whole state, then
 * SYNCED.
 */
package io.kadmesh.core.watch;
