#!/usr/bin/env python3
"""Announce, resolve and watch a service's endpoints from Python, through a node's API port.

    python3 mesh.py TARGET [SERVICE] [ENDPOINT] [SECOND_ENDPOINT]

TARGET is the node's API address (HOST:PORT); SERVICE defaults to orders-from-python, the endpoints
to 127.0.0.1:50051 and 127.0.0.1:50052 (nothing needs to listen there: the node publishes what it
is told). The program announces ENDPOINT, resolves the service, starts a watch of it and waits for
its SYNCED, announces SECOND_ENDPOINT and waits for its ADDED event, withdraws it and waits for
REMOVED, then withdraws ENDPOINT: one line a step. Every wait is bounded (30 s in all), so it never
hangs. Exit status 0, 1 for a failed call, an unexpected answer or a timeout, 2 for bad usage or
missing dependencies; `--check` only says whether the dependencies are there.

Needs grpcio and protobuf (Debian: python3-grpcio) and a protoc that knows proto3 `optional`
(Debian: protobuf-compiler protobuf-compiler-grpc); kadmesh_stubs.py generates the stubs.
"""

import sys

import kadmesh_stubs

WATCH_SECONDS = 30


class Unexpected(Exception):
    pass


def announce(dht_pb2, dht, service, endpoint):
    answer = dht.Announce(dht_pb2.AnnounceRequest(service=service, endpoint=endpoint,
                                                  metadata={"example": "python"}), timeout=10)
    print("announce %s %s: on %d replica(s)" % (service, endpoint, answer.replicas))


def withdraw(dht_pb2, dht, service, endpoint):
    dht.Withdraw(dht_pb2.WithdrawRequest(service=service, endpoint=endpoint), timeout=10)
    print("withdraw %s %s" % (service, endpoint))


def next_event(events, dht_pb2, wanted_type, address=None):
    """Reads the watch until an event of wanted_type (for address, if given); others are skipped."""
    for event in events:
        if event.type == wanted_type and (address is None or event.endpoint.address == address):
            return event
    raise Unexpected("the watch ended before %s" % dht_pb2.WatchEventType.Name(wanted_type))


def mesh(dht_pb2, dht, service, first, second):
    announce(dht_pb2, dht, service, first)

    resolved = dht.Resolve(dht_pb2.ResolveRequest(service=service), timeout=10)
    addresses = sorted({e.address for e in resolved.endpoints})
    if first not in addresses:
        raise Unexpected("resolve %s: %s not among %s" % (service, first, addresses))
    print("resolve %s: %s" % (service, " ".join(addresses)))

    # The stream's deadline bounds every wait below: DEADLINE_EXCEEDED instead of a hang.
    events = dht.Watch(dht_pb2.WatchRequest(service=service), timeout=WATCH_SECONDS)
    try:
        current = set()
        for event in events:
            if event.type == dht_pb2.WATCH_EVENT_TYPE_ENDPOINT_ADDED:
                current.add(event.endpoint.address)
            elif event.type == dht_pb2.WATCH_EVENT_TYPE_ENDPOINT_REMOVED:
                current.discard(event.endpoint.address)
            elif event.type == dht_pb2.WATCH_EVENT_TYPE_RESYNC:
                current = set()
            elif event.type == dht_pb2.WATCH_EVENT_TYPE_SYNCED:
                break
        else:
            raise Unexpected("the watch ended before SYNCED")
        print("watch %s: synced, %s" % (service, " ".join(sorted(current))))

        announce(dht_pb2, dht, service, second)
        added = next_event(events, dht_pb2, dht_pb2.WATCH_EVENT_TYPE_ENDPOINT_ADDED, second)
        print("watch %s: added %s" % (service, added.endpoint.address))

        withdraw(dht_pb2, dht, service, second)
        removed = next_event(events, dht_pb2, dht_pb2.WATCH_EVENT_TYPE_ENDPOINT_REMOVED, second)
        print("watch %s: removed %s" % (service, removed.endpoint.address))
    finally:
        events.cancel()

    withdraw(dht_pb2, dht, service, first)


def main(argv):
    if argv[1:] == ["--check"]:
        missing = kadmesh_stubs.missing_dependencies()
        print("missing: " + "; ".join(missing) if missing else "ok")
        return 2 if missing else 0
    if not 2 <= len(argv) <= 5:
        print("usage: " + __doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    target = argv[1]
    service = argv[2] if len(argv) > 2 else "orders-from-python"
    first = argv[3] if len(argv) > 3 else "127.0.0.1:50051"
    second = argv[4] if len(argv) > 4 else "127.0.0.1:50052"
    missing = kadmesh_stubs.missing_dependencies()
    if missing:
        print("missing: " + "; ".join(missing), file=sys.stderr)
        return 2

    import grpc

    with kadmesh_stubs.generated() as (dht_pb2, dht_pb2_grpc):
        with grpc.insecure_channel(target) as channel:
            try:
                mesh(dht_pb2, dht_pb2_grpc.DhtStub(channel), service, first, second)
                return 0
            except grpc.RpcError as e:
                print("kadmesh example failed: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
            except Unexpected as e:
                print("kadmesh example failed: %s" % e, file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
