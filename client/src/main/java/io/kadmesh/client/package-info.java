/**
 * The Java library for applications beside a node: {@link KadmeshClient} calls the node's API
 * port ({@code kadmesh.v1.Dht}) with put, get, delete and info, blocking or as {@code
 * CompletableFuture}s, each call with a deadline. They answer the library's own value types,
 * {@link PutResult}, {@link Entry}, {@link DeleteResult}, {@link ValueVersion} (a write's version:
 * the writer's clock, ties broken by its node ID) and {@link NodeInfo} (with its {@link
 * BucketSummary}s and {@link StorageSummary}), so that an application works with the contract's
 * meaning rather than with generated messages.
 *
 * <p>Signed records: {@link KadmeshClient#signedBy} gives the {@link SignedRecords} of one Ed25519
 * key pair, which signs every put and delete ({@link SignedWriteResult}); {@link
 * KadmeshClient#getSigned} reads anyone's ({@link SignedEntry}). Content-addressed records: {@link
 * KadmeshClient#putContent} ({@link ContentPutResult}) and {@link KadmeshClient#getContent} ({@link
 * ContentEntry}). The client checks what it reads of both itself: signature, owner and name, or
 * the value's SHA-256.
 *
 * <p>Service endpoints: {@link KadmeshClient#announce} has the node publish an endpoint and keep
 * it published ({@link AnnounceOptions}: metadata, TTL, health check; {@link AnnounceResult}) until
 * {@link KadmeshClient#withdraw}.
 *
 * <p>{@link KadmeshException} is the one failure type: {@link KadmeshException#from} is the one
 * place where a gRPC status becomes it, keeping the status code and the node's message (and the seq
 * a failed compare-and-swap found); an answer that fails the client's own checks is one too.
 *
 * <p>Layering: a client of the API port, apart from the node: it depends on the generated
 * {@code kadmesh.v1} stubs, the JDK-only records module, gRPC and protobuf only, never on the
 * server or the command line, so that an application's dependency tree has no picocli, gson or
 * RocksDB in it.
 */
package io.kadmesh.client;
