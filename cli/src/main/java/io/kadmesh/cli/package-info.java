/**
 * The {@code kadmesh} executable ({@link KadmeshMain}): one picocli command ({@link
 * KadmeshCommand}) with a subcommand each for {@code put}, {@code get}, {@code delete} (plain,
 * signed or content-addressed records), {@code keygen}, {@code info}, {@code ping} and {@code node} ({@link NodeCommand}, which runs a node), plus {@code bench}
 * and {@code simulate} from the subpackages.
 *
 * <p>The edge where flags and environment become typed values: {@link EnvironmentDefaultProvider}
 * lets every {@code --flag} read {@code KADMESH_FLAG}, {@link DurationConverter} and {@link
 * HostPortConverter} turn a typo into a usage error, options shared by commands are picocli
 * mixins ({@code TargetOption}, {@code TimeoutOption}, {@code SigningOptions}), and {@code NodeCommand} builds the one
 * validated {@link io.kadmesh.core.NodeConfig}. The exit statuses ({@link ExitCodes}: 0, 1 for
 * not found, 2 for usage, 3 for failures, 4 for a write that lost to another) and the one-line error on stderr are the contract's.
 *
 * <p>Layering: the top of everything. The API commands go through {@link
 * io.kadmesh.client.KadmeshClient}; {@code node} composes the server ({@link
 * io.kadmesh.server.grpc.KadmeshServer}, its data directory and record store). Only the
 * executable's own subpackages use this package (its converters); no library does.
 */
package io.kadmesh.cli;
