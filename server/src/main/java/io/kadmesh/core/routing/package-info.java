/**
 * The routing table (paper §2.2, §2.4): {@link RoutingTable} holds 256 k-buckets, bucket i for the
 * contacts that share exactly i leading bits with this node's ID; each {@code KBucket} keeps up to
 * k contacts least-recently seen first, and a replacement cache of newcomers that met a full bucket
 * (§4.1). A contact that failed too often is <em>stale</em>: replaced as soon as a newcomer is at
 * hand, kept (and left out of lookups) until then, so that a partition can heal. {@link
 * UpdateResult} says what the table did with a contact; {@link BucketSummary} is a read-only view
 * for diagnostics.
 *
 * <p>Peers may lie: the table takes as seen only contacts that answered this node at their
 * address; a request's sender is a claim the node checks first, and a known contact's address
 * changes only once the old one stops answering. {@link SubnetDiversity} caps the contacts of one
 * IPv4 /24, IPv6 /48 or host name per bucket and per table; {@link io.kadmesh.core.PeerAddress} takes addresses
 * apart without DNS.
 *
 * <p>No I/O and no clock of its own: a full bucket answers "ping this one" and the caller reports
 * the outcome, and every call is given {@code now}. That keeps it a pure data structure, tested
 * by properties with time moved by hand.
 *
 * <p>Layering: depends on {@link io.kadmesh.core} alone. The node ({@link io.kadmesh.core.node})
 * owns the table and does the pinging; lookups never touch it, they take its contacts as seeds and
 * their answers reach it through the node.
 */
package io.kadmesh.core.routing;
