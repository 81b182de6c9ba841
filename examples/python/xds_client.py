#!/usr/bin/env python3
"""Call a kadmesh service from plain grpcio through xDS: no kadmesh code, only a bootstrap file.

    kadmesh xds-bootstrap > bootstrap.json
    GRPC_XDS_BOOTSTRAP=bootstrap.json python3 xds_client.py [SERVICE] [--expect N] [--seconds S]

gRPC resolves xds:///SERVICE through the node the bootstrap names (its API port serves xDS) and
balances over the endpoints announced for SERVICE (default: orders), round robin, following
announcements and withdrawals as the node pushes them. The program calls the backends' test method
/kadmesh.test.Named/Name (a UTF-8 string in, the backend's name out: the integration tests'
backends; use your own stub for your own service) until N distinct backends have answered
(default 2) or S seconds have passed (default 30), printing one line per backend as it first
answers. Exit status 0 when N answered, 1 when not within S seconds or on a call failure other than
UNAVAILABLE, 2 for bad usage or missing dependencies; `--check` only says whether grpcio is there.

Needs grpcio (Debian: python3-grpcio; 1.51 has xDS on by default, no GRPC_XDS_EXPERIMENTAL_*
variable is needed for this).
"""

import argparse
import os
import sys
import time


def main(argv):
    parser = argparse.ArgumentParser(description="Call a service through xds:///SERVICE.")
    parser.add_argument("service", nargs="?", default="orders")
    parser.add_argument("--expect", type=int, default=2, help="distinct backends to reach")
    parser.add_argument("--seconds", type=float, default=30.0, help="give up after this long")
    parser.add_argument("--check", action="store_true", help="only check the dependencies")
    args = parser.parse_args(argv)
    try:
        import grpc
    except ImportError as e:
        print("missing dependency: %s (Debian: python3-grpcio)" % e, file=sys.stderr)
        return 2
    if args.check:
        print("ok")
        return 0
    if not os.environ.get("GRPC_XDS_BOOTSTRAP") and not os.environ.get("GRPC_XDS_BOOTSTRAP_CONFIG"):
        print("GRPC_XDS_BOOTSTRAP is not set: save `kadmesh xds-bootstrap` to a file and name it",
              file=sys.stderr)
        return 2

    deadline = time.monotonic() + args.seconds
    seen = set()
    with grpc.insecure_channel("xds:///" + args.service) as channel:
        name = channel.unary_unary("/kadmesh.test.Named/Name",
                                   request_serializer=lambda s: s.encode("utf-8"),
                                   response_deserializer=lambda b: b.decode("utf-8"))
        while len(seen) < args.expect:
            left = deadline - time.monotonic()
            if left <= 0:
                print("only %d of %d backends answered within %.0f s: %s"
                      % (len(seen), args.expect, args.seconds, sorted(seen)), file=sys.stderr)
                return 1
            try:
                # wait_for_ready: the first calls wait for the xDS answers and a connection.
                answer = name("", timeout=min(left, 5.0), wait_for_ready=True)
            except grpc.RpcError as e:
                if e.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                    continue
                print("call failed: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
                return 1
            if answer not in seen:
                seen.add(answer)
                print("%s answered by %s" % (args.service, answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
