#!/usr/bin/env bash
# kadmesh bench and OpenDHT (bench/opendht.py) with the same workload, one after the other in one
# go, and both rows side by side as a markdown table.
#
#   bench/compare.sh [--nodes 20] [--ops 1000] [--value-size 256] [--concurrency 32]
#                    [--warmup 500] [--seed 1] [--processes] [--get-quorum N]
#
# --processes runs kadmesh's nodes as separate `kadmesh node` JVMs (kadmesh bench --processes),
# with the JVM options bin/kadmesh gives a node (KADMESH_NODE_JAVA_OPTS overrides them); by
# default they share one JVM, as OpenDHT's share one process. Builds cli/target/kadmesh.jar
# when it is missing. --get-quorum N runs kadmesh once more, its gets asking for N replicas
# (GetRequest.quorum) instead of the node's quorum, and adds its get rows to the table.
# Needs Debian's python3-opendht and /usr/bin/python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nodes=20 ops=1000 size=256 conc=32 warmup=500 seed=1 processes="" getq=""
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --ops) ops="$2"; shift 2 ;;
    --value-size) size="$2"; shift 2 ;;
    --concurrency) conc="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --processes) processes="--processes"; shift ;;
    --get-quorum) getq="$2"; shift 2 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
jar="$root/cli/target/kadmesh.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -pl cli -am package -DskipTests) >&2
fi
common=(--nodes "$nodes" --ops "$ops" --value-size "$size" --concurrency "$conc" --warmup "$warmup" --seed "$seed")
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "compare.sh: kadmesh bench ${processes:-(one JVM)} ${common[*]}" >&2
node_opts=()
if [ -n "$processes" ]; then
  node_opts=(--java-options "${KADMESH_NODE_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx256m -XX:TieredStopAtLevel=1}")
fi
java -jar "$jar" bench $processes "${common[@]}" "${node_opts[@]}" --json > "$tmp/kadmesh.json"
echo '{}' > "$tmp/kadmesh-q.json"
if [ -n "$getq" ]; then
  echo "compare.sh: kadmesh bench --get-quorum $getq ${processes:-(one JVM)} ${common[*]}" >&2
  java -jar "$jar" bench $processes "${common[@]}" "${node_opts[@]}" --get-quorum "$getq" --json > "$tmp/kadmesh-q.json"
fi
echo "compare.sh: OpenDHT ${common[*]}" >&2
/usr/bin/python3 "$root/bench/opendht.py" "${common[@]}" --json > "$tmp/opendht.json"
/usr/bin/python3 - "$tmp/kadmesh.json" "$tmp/opendht.json" "$(uptime | sed 's/.*load average: //')" "$tmp/kadmesh-q.json" <<'PY'
import json, sys
k = json.load(open(sys.argv[1]))
o = json.load(open(sys.argv[2]))
q = json.load(open(sys.argv[4]))
mode = "one JVM" if k.get("mode") != "processes" else "one JVM per node"
print("%d nodes, %d keys of %d B, %d in flight, seed %d; kadmesh: %s; load average at the end: %s"
      % (k["nodes"], k["ops"], k["value_size"], k["concurrency"], k["seed"], mode, sys.argv[3]))
print()
print("| | kadmesh | OpenDHT | kadmesh / OpenDHT |")
print("| --- | --- | --- | --- |")
rows = [("get p50", "get", "p50_ms", "ms"), ("get p99", "get", "p99_ms", "ms"),
        ("gets/s, %d in flight" % k["concurrency"], "get", "ops_per_s", "/s"),
        ("put p50", "put", "p50_ms", "ms"), ("put p99", "put", "p99_ms", "ms"),
        ("puts/s, %d in flight" % k["concurrency"], "put", "ops_per_s", "/s"),
        ("get success", "get", "success_rate", ""), ("put success", "put", "success_rate", "")]
if q:
    n = q["get_quorum"]
    rows[3:3] = [("get p50, quorum %d" % n, "get", "p50_ms", "ms", q),
                 ("gets/s, %d in flight, quorum %d" % (k["concurrency"], n), "get", "ops_per_s", "/s", q)]
for row in rows:
    label, op, field, unit = row[:4]
    a, b = (row[4] if len(row) > 4 else k)[op][field], o[op][field]
    fmt = (lambda v: "%.3f ms" % v) if unit == "ms" else (lambda v: "{:,.0f}".format(v)) if unit == "/s" else (lambda v: "%.4f" % v)
    ratio = a / b if b else float("nan")
    note = ""
    if unit == "ms":
        note = " (faster)" if ratio < 1 else " (slower)"
    elif unit == "/s":
        note = " (faster)" if ratio > 1 else " (slower)"
    print("| %s | %s | %s | %.2f%s |" % (label, fmt(a), fmt(b), ratio, note))
if "floor" in k:
    print()
    print("kadmesh floor (one peer FindValue round trip) p50: %.3f ms" % k["floor"]["p50_ms"])
PY
