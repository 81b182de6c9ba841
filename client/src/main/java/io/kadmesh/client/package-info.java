/**
 * The Java library for applications beside a node: {@link KadmeshClient} calls the node's API
 * port ({@code kadmesh.v1.Dht}) with put, get, delete and info, blocking or as {@code
 * CompletableFuture}s, each call with a deadline. They answer the library's own value types,
 * {@link PutResult}, {@link Entry}, {@link DeleteResult}, {@link ValueVersion} (a write's version:
 * the writer's clock, ties broken by its node ID) and {@link NodeInfo} (with its {@link
 * BucketSummary}s and {@link StorageSummary}), so that an application works with the contract's
 * meaning rather than with generated messages.
 *
 * <p>{@link KadmeshException} is the one failure type: {@link KadmeshException#from} is the one
 * place where a gRPC status becomes it, keeping the status code and the node's message.
 *
 * <p>Layering: a client of the API port, apart from the node: it depends on the generated
 * {@code kadmesh.v1} stubs, gRPC and protobuf only, never on the server or the command line, so
 * that an application's dependency tree has no picocli, gson or RocksDB in it.
 */
package io.kadmesh.client;
