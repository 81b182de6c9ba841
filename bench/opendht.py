#!/usr/bin/python3
"""OpenDHT's figures for the kadmesh bench's workload, to print beside them (bench/compare.sh).

N OpenDHT nodes (Debian's python3-opendht) in this one process on 127.0.0.1, each joining
through a random earlier one; then, as `kadmesh bench` does: W unmeasured puts and gets, M puts
of S-byte random values through random nodes and M gets of those keys through other nodes, one
at a time (latency), then M more of each with C in flight (ops/s). A put succeeds when OpenDHT
reports it done and ok; a get when it found the value written. Seeded. Loopback only; stops
every node it started before it exits.

    /usr/bin/python3 bench/opendht.py [--nodes 20] [--ops 1000] [--value-size 256]
        [--concurrency 32] [--warmup 500] [--seed 1] [--settle 5] [--json]
"""
import argparse
import json
import math
import os
import random
import sys
import threading
import time

# This file is named opendht.py too: import the library, not this script.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [d for d in sys.path if os.path.abspath(d or ".") != _here]
try:
    import opendht as dht
except ImportError:
    sys.exit("bench/opendht.py: needs Debian's python3-opendht (apt-get install -y python3-opendht)"
             " and /usr/bin/python3")

OP_LIMIT_S = 30


def percentile(sorted_ms, p):
    """Nearest rank, as kadmesh bench's Percentiles; NaN for none."""
    if not sorted_ms:
        return float("nan")
    rank = max(0, min(len(sorted_ms) - 1, math.ceil(p / 100.0 * len(sorted_ms)) - 1))
    return sorted_ms[rank]


class Workload:
    """One phase's keys, values and nodes, drawn from the seed like kadmesh bench's."""

    def __init__(self, rnd, seed, phase, n, size, nodes):
        self.keys = [dht.InfoHash.get("bench-%d-%s-%d" % (seed, phase, i)) for i in range(n)]
        self.values = [bytes(rnd.getrandbits(8) for _ in range(size)) for _ in range(n)]
        self.put_node = [rnd.randrange(nodes) for _ in range(n)]
        self.get_node = []
        for i in range(n):
            g = rnd.randrange(nodes - 1)
            self.get_node.append(g if g < self.put_node[i] else g + 1)


class Stats:
    def __init__(self):
        self.sequential_ms = []
        self.loaded_ms = []
        self.ok = 0
        self.failed = 0
        self.ops_per_s = float("nan")
        self.lock = threading.Lock()

    def outcome(self, ok):
        with self.lock:
            if ok:
                self.ok += 1
            else:
                self.failed += 1

    def json(self):
        s = sorted(self.sequential_ms)
        l = sorted(self.loaded_ms)
        total = self.ok + self.failed
        return {
            "p50_ms": round(percentile(s, 50), 3), "p95_ms": round(percentile(s, 95), 3),
            "p99_ms": round(percentile(s, 99), 3), "max_ms": round(s[-1], 3) if s else None,
            "ops_per_s": round(self.ops_per_s, 1),
            "loaded_p50_ms": round(percentile(l, 50), 3),
            "loaded_p99_ms": round(percentile(l, 99), 3),
            "success_rate": self.ok / total if total else float("nan"), "failures": self.failed,
        }


def start_async(runners, w, op, i, done):
    """Starts operation i of op; done(ok) is called once, from OpenDHT's thread."""
    if op == "put":
        runners[w.put_node[i]].put(w.keys[i], dht.Value(w.values[i]),
                                   lambda ok, nodes: done(bool(ok)))
    else:
        found = [False]
        want = w.values[i]

        def on_value(v):
            if bytes(v.data) == want:
                found[0] = True
                return False  # enough: stop the search
            return True

        runners[w.get_node[i]].get(w.keys[i], on_value, lambda ok, nodes: done(found[0]))


def run_blocking(runners, w, op, i):
    event = threading.Event()
    result = [False]

    def done(ok):
        result[0] = ok
        event.set()

    start_async(runners, w, op, i, done)
    return event.wait(OP_LIMIT_S) and result[0]


def sequential(runners, w, op, stats):
    for i in range(len(w.keys)):
        t0 = time.perf_counter()
        ok = run_blocking(runners, w, op, i)
        if stats is not None:
            stats.sequential_ms.append((time.perf_counter() - t0) * 1000)
            stats.outcome(ok)


def loaded(runners, w, op, concurrency, stats):
    n = len(w.keys)
    lock = threading.Lock()
    state = {"next": 0, "done": 0}
    finished = threading.Event()

    def launch():
        with lock:
            i = state["next"]
            if i >= n:
                return
            state["next"] += 1
        t0 = time.perf_counter()

        def done(ok):
            stats.loaded_ms.append((time.perf_counter() - t0) * 1000)
            stats.outcome(ok)
            with lock:
                state["done"] += 1
                last = state["done"] == n
            if last:
                finished.set()
            else:
                # Not on OpenDHT's thread: a new operation from its callback could wait on it.
                threading.Thread(target=launch, daemon=True).start()

        start_async(runners, w, op, i, done)

    t0 = time.perf_counter()
    for _ in range(min(concurrency, n)):
        launch()
    if not finished.wait(OP_LIMIT_S * 10):
        raise RuntimeError("the loaded phase did not finish")
    stats.ops_per_s = n / (time.perf_counter() - t0)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--nodes", type=int, default=20)
    p.add_argument("--ops", type=int, default=1000)
    p.add_argument("--value-size", type=int, default=256)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--warmup", type=int, default=500)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--settle", type=float, default=5.0,
                   help="seconds the nodes exchange contacts after the last joined")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    if a.nodes < 2 or a.ops < 1 or a.concurrency < 1 or a.warmup < 0 or not 1 <= a.value_size <= 65536:
        p.error("--nodes >= 2, --ops >= 1, --concurrency >= 1, --warmup >= 0, --value-size in [1, 65536]")

    rnd = random.Random(a.seed)
    runners = []
    try:
        t0 = time.perf_counter()
        ports = []
        for i in range(a.nodes):
            r = dht.DhtRunner()
            r.run(port=0, ipv4="127.0.0.1", ipv6="")
            if i > 0:
                r.bootstrap("127.0.0.1", str(ports[rnd.randrange(i)]))
            runners.append(r)
            ports.append(r.getBound().getPort())
        time.sleep(a.settle)
        settle = time.perf_counter() - t0
        work = random.Random(a.seed + 1)
        warm = Workload(work, a.seed, "warm", a.warmup, a.value_size, a.nodes)
        seq = Workload(work, a.seed, "seq", a.ops, a.value_size, a.nodes)
        load = Workload(work, a.seed, "load", a.ops, a.value_size, a.nodes)
        for op in ("put", "get"):
            sequential(runners, warm, op, None)
        stats = {"put": Stats(), "get": Stats()}
        for op in ("put", "get"):
            sequential(runners, seq, op, stats[op])
        for op in ("put", "get"):
            loaded(runners, load, op, a.concurrency, stats[op])
    finally:
        for r in runners:
            r.join()
    out = {"implementation": "opendht", "nodes": a.nodes, "ops": a.ops,
           "value_size": a.value_size, "concurrency": a.concurrency, "warmup": a.warmup,
           "seed": a.seed, "settle_s": round(settle, 3),
           "put": stats["put"].json(), "get": stats["get"].json()}
    if a.json:
        print(json.dumps(out))
    else:
        print("OpenDHT: %d nodes in one process on 127.0.0.1, seed %d; %d puts then %d gets of "
              "%d-byte values, one at a time; then %d more of each with %d in flight"
              % (a.nodes, a.seed, a.ops, a.ops, a.value_size, a.ops, a.concurrency))
        for op in ("put", "get"):
            j = out[op]
            print("%s p50 %.3f ms p95 %.3f ms p99 %.3f ms, %.0f ops/s, success %.4f"
                  % (op, j["p50_ms"], j["p95_ms"], j["p99_ms"], j["ops_per_s"], j["success_rate"]))


if __name__ == "__main__":
    main()
