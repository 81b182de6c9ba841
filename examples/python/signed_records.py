#!/usr/bin/env python3
"""Signed and content-addressed records from Python, through a node's API port.

    python3 signed_records.py TARGET KEY_FILE NAME VALUE

TARGET is the node's API address (HOST:PORT), KEY_FILE the PEM private key `kadmesh keygen`
writes. The program signs VALUE as the next seq of NAME (PutSigned, a compare-and-swap over the
seq it read), reads it back (GetSigned) and checks the signature itself, then stores VALUE as a
content-addressed record (PutContent) and checks that what GetContent returns hashes to its key.
`kadmesh get NAME --public-key HEX` reads the same record: the signed bytes are the same in every
language. `--check` only says whether the dependencies are there (exit 0) or what is missing.

Needs grpcio, protobuf and cryptography (Debian: python3-grpcio python3-cryptography) and a
protoc that knows proto3 `optional`: Debian's protobuf-compiler with protobuf-compiler-grpc's
grpc_python_plugin, or pip's grpcio-tools (Debian's python3-grpc-tools bundles protoc 3.5, too old).
kadmesh_stubs.py, next to this file, generates the stubs.
"""

import hashlib
import struct
import sys
import time

import kadmesh_stubs

PREFIX = b"kadmesh-signed-record-v1"
TTL_SECONDS = 3600


def signed_payload(name, seq, value, expires_at, tombstone=False):
    """The bytes an owner signs, as kadmesh.v1.SignedRecord and SignedPayload.java lay them out."""
    name_bytes = name.encode("utf-8")
    return (PREFIX
            + struct.pack(">BQq", 1 if tombstone else 0, seq, expires_at)
            + struct.pack(">I", len(name_bytes)) + name_bytes
            + struct.pack(">I", len(value)) + value)


def missing_dependencies():
    return kadmesh_stubs.missing_dependencies(("grpc", "google.protobuf", "cryptography"))


def exchange(dht_pb2, dht, private_key, name, value):
    """PutSigned, GetSigned, PutContent and GetContent, checking what the node answers."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    public_key = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    print("public key " + public_key.hex())

    # The seq to write past: the newest record's, a tombstone's too; 0 when there is none.
    newest = dht.GetSigned(dht_pb2.GetSignedRequest(public_key=public_key, name=name),
                           timeout=10)
    expected = newest.record.seq if newest.HasField("record") else 0
    seq, expires_at = expected + 1, int(time.time()) + TTL_SECONDS
    signature = private_key.sign(signed_payload(name, seq, value, expires_at))
    record = dht_pb2.SignedRecord(public_key=public_key, name=name, seq=seq, value=value,
                                  signature=signature)
    record.expires_at.seconds = expires_at
    # expected_seq makes it a compare-and-swap: FAILED_PRECONDITION if another write came first.
    put = dht.PutSigned(dht_pb2.PutSignedRequest(record=record, expected_seq=expected), timeout=10)
    print("stored seq %d on %d replica(s), key %s" % (seq, put.replicas, put.key.hex()))

    got = dht.GetSigned(dht_pb2.GetSignedRequest(public_key=public_key, name=name),
                        timeout=10)
    r = got.record
    # Check the record ourselves: the node may lie, or pass on what a peer forged.
    if not got.found or r.public_key != public_key or r.name != name or r.tombstone:
        print("GetSigned answered another record than the one asked for", file=sys.stderr)
        return 3
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            r.signature, signed_payload(r.name, r.seq, r.value, r.expires_at.seconds, r.tombstone))
    except InvalidSignature:
        print("GetSigned answered a record whose signature does not verify", file=sys.stderr)
        return 3
    print("read back seq %d: %s (signature verified)" % (r.seq, r.value.decode("utf-8")))

    put = dht.PutContent(dht_pb2.PutContentRequest(value=value), timeout=10)
    got = dht.GetContent(dht_pb2.GetContentRequest(key=put.key), timeout=10)
    if not got.found or hashlib.sha256(got.value).digest() != put.key:
        print("GetContent answered a value that does not hash to its key", file=sys.stderr)
        return 3
    print("content key %s: %s (hash verified)" % (put.key.hex(), got.value.decode("utf-8")))
    return 0


def main(argv):
    if argv[1:] == ["--check"]:
        missing = missing_dependencies()
        print("missing: " + "; ".join(missing) if missing else "ok")
        return 2 if missing else 0
    if len(argv) != 5:
        print("usage: " + __doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    target, key_file, name, value = argv[1], argv[2], argv[3], argv[4].encode("utf-8")

    import grpc
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    with open(key_file, "rb") as f:
        private_key = serialization.load_pem_private_key(f.read(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        print(key_file + " is not an Ed25519 private key", file=sys.stderr)
        return 2

    with kadmesh_stubs.generated() as (dht_pb2, dht_pb2_grpc):
        with grpc.insecure_channel(target) as channel:
            try:
                return exchange(dht_pb2, dht_pb2_grpc.DhtStub(channel), private_key, name, value)
            except grpc.RpcError as e:
                found = dict(e.trailing_metadata() or ()).get("kadmesh-found-seq")
                print("%s: %s%s" % (e.code().name, e.details(),
                      "" if found is None else " (found seq %s)" % found), file=sys.stderr)
                return 4 if e.code() in (grpc.StatusCode.FAILED_PRECONDITION,
                                         grpc.StatusCode.ABORTED) else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv))
