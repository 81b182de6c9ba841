/**
 * The node on gRPC: thin adapters between the wire ({@code kadmesh.v1}) and the core, with no
 * Kademlia logic of their own. {@link KadmeshServer} serves a node on the peer port ({@code
 * KademliaService}) and the API port ({@code DhtService}), each with health (following the node's
 * own serving status) and reflection, and does nothing else: joining and keeping contacts are the
 * node's policy. {@link GrpcPeerTransport} is the core's {@link io.kadmesh.core.PeerTransport},
 * one channel per peer; {@code ProtoCodec} is the one place that knows both the core's types and
 * the messages; {@code StatusMapper} is the one mapping each way between {@link
 * io.kadmesh.core.DhtException}'s reasons and status; {@code UnparsableRequests} answers
 * unparsable bytes INVALID_ARGUMENT, never UNKNOWN. {@link NettyEndpoints} builds production
 * servers and channels; tests inject in-process builders.
 *
 * <p>Layering: the top of the node, and the only package of the server that imports {@code
 * io.grpc} or generated classes. Depends on {@link io.kadmesh.core.node} and below; the command
 * line ({@code io.kadmesh.cli}) starts it.
 */
package io.kadmesh.server.grpc;
