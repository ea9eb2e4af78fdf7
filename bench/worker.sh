#!/usr/bin/env bash
# Throughput of a generated queue worker (no-op handler, per-message logs at info,
# written to a file) against the minimal async-nats pull consumer of
# bench/nats-baseline with the same batch size, in the same run, rounds alternating.
# Both read the same 100,000 small messages through their own durable consumer; both
# are timed the same way, from the broker's view (first delivery to the last
# acknowledgement). Target: the worker at >= 0.8x the baseline's messages/second.
#
# Needs: cargo, nats-server (Debian package nats-server), python3.
# Usage: bench/worker.sh [MESSAGES] [ROUNDS]     (defaults 100000, 3)
# WORKER_ENV="APP__LOG__LEVEL=warn APP__CONSUMER__CONCURRENCY=1" adds settings to the
# worker's environment, to see what a setting costs (the target is with the defaults).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
messages=${1:-100000}
rounds=${2:-3}
batch=64   # the generated worker's consumer.batch default
work=$(mktemp -d)
target=${CARGO_TARGET_DIR:-$repo/target}/bench-worker
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
admin=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=nats://127.0.0.1:$port

echo "building paved, the worker (release) and the baseline (release)" >&2
cargo build -q   # paved only generates the worker: its debug build will do
"${CARGO_TARGET_DIR:-$repo/target}/debug/paved" new bench-worker --kind worker --yes --vcs none --dest "$work/bench-worker" >/dev/null
(cd "$work/bench-worker" && CARGO_TARGET_DIR=$target cargo build -q --release)
(cd bench/nats-baseline && CARGO_TARGET_DIR=$target cargo build -q --release)
tool=$target/release/nats-baseline

nats-server -js -a 127.0.0.1 -p "$port" -sd "$work/store" >/dev/null 2>&1 &
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
echo "publishing $messages messages" >&2
"$tool" publish "$url" JOBS jobs.created "$messages"

run_baseline() {
  "$tool" consume "$url" JOBS "baseline-$1" "$batch" &
  local pid=$!
  "$tool" wait "$url" JOBS "baseline-$1" "$messages"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_worker() {
  (cd "$work/bench-worker" && APP_ENV=production APP__BROKER__URL=$url \
    APP__ADMIN__HOST=127.0.0.1 APP__ADMIN__PORT=$admin APP__CONSUMER__DURABLE="worker-$1" \
    APP__LOG__LEVEL=info exec env ${WORKER_ENV:-} "$target/release/bench-worker" run >"$work/worker-$1.log") &
  local pid=$!
  "$tool" wait "$url" JOBS "worker-$1" "$messages"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  local settled
  settled=$(grep -c '"outcome":"acked"' "$work/worker-$1.log")
  [ -n "${WORKER_ENV:-}" ] || [ "$settled" -ge "$messages" ] || { echo "worker logged $settled acked lines, expected $messages" >&2; exit 1; }
}

baseline=() worker=()
for round in $(seq "$rounds"); do
  b=$(run_baseline "$round"); w=$(run_worker "$round")
  baseline+=("$b"); worker+=("$w")
  echo "round $round: baseline ${b}s, worker ${w}s" >&2
done

python3 - "$messages" "${baseline[*]}" "${worker[*]}" <<'PY'
import statistics, sys
n = int(sys.argv[1])
b = statistics.median(float(x) for x in sys.argv[2].split())
w = statistics.median(float(x) for x in sys.argv[3].split())
print(f"baseline (async-nats pull, batch 64, ack each): {n / b:,.0f} msg/s (median {b:.3f}s)")
print(f"worker   (generated, no-op handler, info logs): {n / w:,.0f} msg/s (median {w:.3f}s)")
print(f"ratio worker/baseline: {b / w:.2f}x (target >= 0.8x)")
rounds = zip(sys.argv[2].split(), sys.argv[3].split())
print("per round: " + ", ".join(f"{float(x) / float(y):.2f}x" for x, y in rounds))
PY
