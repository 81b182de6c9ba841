#!/usr/bin/env python3
"""Put, get and delete from Python, through a node's API port.

    python3 client.py TARGET [KEY]

TARGET is the node's API address (HOST:PORT); KEY defaults to greeting-from-python. The program
puts a value under KEY, reads it back, deletes it and reads again (not found), then shows the
INVALID_ARGUMENT an empty key gets: one line a step, exit status 1 on any unexpected answer, 2 for
bad usage or missing dependencies. `--check` only says whether the dependencies are there (exit 0)
or what is missing.

Needs grpcio and protobuf (Debian: python3-grpcio) and a protoc that knows proto3 `optional`
(Debian: protobuf-compiler protobuf-compiler-grpc); kadmesh_stubs.py generates the stubs.
"""

import sys

import kadmesh_stubs

VALUE = "hello from Python"


class Unexpected(Exception):
    pass


def expect(condition, what):
    if not condition:
        raise Unexpected("unexpected answer: " + what)


def exchange(grpc, dht_pb2, dht, key):
    """Put, Get, Delete, Get, and a refused Put; every call with a deadline (timeout=)."""
    put = dht.Put(dht_pb2.PutRequest(key=key, value=VALUE.encode("utf-8")), timeout=10)
    print("put %s: stored on %d replica(s), version %d" % (key, put.replicas, put.version.sequence))

    got = dht.Get(dht_pb2.GetRequest(key=key), timeout=10)
    expect(got.found and got.value == VALUE.encode("utf-8"),
           "read back %r" % got.value if got.found else "not found after the put")
    print("get %s: %s" % (key, got.value.decode("utf-8")))

    deleted = dht.Delete(dht_pb2.DeleteRequest(key=key), timeout=10)
    print("delete %s: tombstone on %d replica(s)" % (key, deleted.replicas))

    gone = dht.Get(dht_pb2.GetRequest(key=key), timeout=10)
    expect(not gone.found, "still found after the delete: %r" % gone.value)
    print("get %s: not found" % key)

    # A bad request fails with a status, here INVALID_ARGUMENT naming the field.
    try:
        dht.Put(dht_pb2.PutRequest(key="", value=b"x"), timeout=10)
        expect(False, "an empty key was stored")
    except grpc.RpcError as e:
        expect(e.code() == grpc.StatusCode.INVALID_ARGUMENT,
               "an empty key failed with " + e.code().name)
        print('put "": refused, %s: %s' % (e.code().name, e.details()))


def main(argv):
    if argv[1:] == ["--check"]:
        missing = kadmesh_stubs.missing_dependencies()
        print("missing: " + "; ".join(missing) if missing else "ok")
        return 2 if missing else 0
    if len(argv) not in (2, 3):
        print("usage: " + __doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    target = argv[1]
    key = argv[2] if len(argv) == 3 else "greeting-from-python"
    missing = kadmesh_stubs.missing_dependencies()
    if missing:
        print("missing: " + "; ".join(missing), file=sys.stderr)
        return 2

    import grpc

    with kadmesh_stubs.generated() as (dht_pb2, dht_pb2_grpc):
        with grpc.insecure_channel(target) as channel:
            try:
                exchange(grpc, dht_pb2, dht_pb2_grpc.DhtStub(channel), key)
                return 0
            except grpc.RpcError as e:
                print("kadmesh example failed: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
            except Unexpected as e:
                print("kadmesh example failed: %s" % e, file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
