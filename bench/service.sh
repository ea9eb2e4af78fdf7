#!/usr/bin/env bash
# Throughput of a freshly generated service (sqlite variant, release build, the
# full middleware, JSON access logs at info) against bare axum baselines, driven
# by wrk on loopback in the same run, interleaved (service, baseline, service,
# baseline, ...) so machine noise hits both alike:
#   GET /ping            against bench/hello (answers "OK");
#   GET /v1/notes/{id}   against bench/hello-sqlite (reads the same row from the
#                        same SQLite file, one connection behind a mutex).
# Then the cold build (`cargo build`, debug, empty target dir) of the generated
# service against bench/hello's (the target) and bench/hello-sqlite's (which
# compiles the same bundled SQLite), alternating, BENCH_COLD_ROUNDS rounds (default 3),
# medians (BENCH_COLD=0 skips it).
#
#   bench/service.sh            # prints req/s per endpoint and service/baseline
#
# Server and wrk are pinned to one core each with taskset. Knobs (environment):
#   BENCH_DURATION=10s  BENCH_ROUNDS=3  BENCH_CONNECTIONS=64
#   BENCH_SERVER_CPU=0  BENCH_WRK_CPU=1
#   BENCH_TARGET_DIR=<repo>/target/bench   (cargo target dir for both builds)
#   BENCH_LOG=/dev/null                    (where the service's logs go)
#   BENCH_CALLGRIND=1   run both servers under valgrind's callgrind and report
#                       user-space instructions per request instead of CPU time:
#                       slow, but exact and deaf to other load on the machine.
# Needs: cargo, wrk, taskset, curl, python3, GNU time (/usr/bin/time, for the cold
# builds), and valgrind for BENCH_CALLGRIND.
#
# req/s is what the target (service >= 0.8x hello on /ping) is about, and it
# needs an otherwise idle machine; server CPU time per request is steadier on
# a busy one; instruction counts are steadiest of all.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${BENCH_DURATION:-10s}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
WRK_CPU=${BENCH_WRK_CPU:-1}
export CARGO_TARGET_DIR=${BENCH_TARGET_DIR:-$ROOT/target/bench}
LOG=${BENCH_LOG:-/dev/null}
CALLGRIND=${BENCH_CALLGRIND:-0}
COLD=${BENCH_COLD:-1}
COLD_ROUNDS=${BENCH_COLD_ROUNDS:-3}
NAME=bench-notes

TOOLS=(cargo wrk taskset curl python3)
[ "$COLD" = 1 ] && TOOLS+=(/usr/bin/time)
[ "$CALLGRIND" = 1 ] && TOOLS+=(valgrind callgrind_control)
for tool in "${TOOLS[@]}"; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 2; }
done

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # PORT
    for _ in $(seq 1 600); do
        curl -fs "http://127.0.0.1:$1/ping" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "bench: nothing answers on port $1" >&2
    exit 1
}

echo "bench: generating $NAME (sqlite) and building both in release mode"
(cd "$ROOT" && cargo build -q -p paved)
"$CARGO_TARGET_DIR/debug/paved" new "$NAME" --yes --vcs none --storage sqlite --dest "$WORK/$NAME" >/dev/null
(cd "$WORK/$NAME" && cargo build -q --release)
(cd "$ROOT/bench/hello" && cargo build -q --release)
(cd "$ROOT/bench/hello-sqlite" && cargo build -q --release)

SERVICE_PORT=$(free_port)
HELLO_PORT=$(free_port)
RUN=(taskset -c "$SERVER_CPU")
if [ "$CALLGRIND" = 1 ]; then
    RUN+=(valgrind -q --tool=callgrind "--callgrind-out-file=$WORK/callgrind.%p")
fi

# The generated service exactly as shipped, with development's config files
# but logging at info (one JSON access line per request) and data in $WORK.
(cd "$WORK/$NAME" && APP_ENV=development \
    APP__LOG__LEVEL=info \
    APP__SERVER__PORT="$SERVICE_PORT" \
    APP__STORAGE__PATH="$WORK/data/notes.db" \
    APP__BACKUP__DIR="$WORK/data/backups" \
    exec "${RUN[@]}" "$CARGO_TARGET_DIR/release/$NAME" >"$LOG" 2>&1) &
SERVICE_PID=$!
"${RUN[@]}" "$CARGO_TARGET_DIR/release/paved-bench-hello" "$HELLO_PORT" >/dev/null 2>&1 &
HELLO_PID=$!
PIDS+=("$SERVICE_PID" "$HELLO_PID")
wait_for "$SERVICE_PORT"
wait_for "$HELLO_PORT"

NOTE=$(curl -fs -X POST "http://127.0.0.1:$SERVICE_PORT/v1/notes" \
    -H 'content-type: application/json' -d '{"text":"a note to read back"}')
ID=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$NOTE")
[ -n "$ID" ] || { echo "bench: could not create a note: $NOTE" >&2; exit 1; }
# The row baseline reads the note the service just wrote, from the same file.
ROW_PORT=$(free_port)
"${RUN[@]}" "$CARGO_TARGET_DIR/release/paved-bench-hello-sqlite" "$ROW_PORT" "$WORK/data/notes.db" >/dev/null 2>&1 &
ROW_PID=$!
PIDS+=("$ROW_PID")
wait_for "$ROW_PORT"

TICK_US=$((1000000 / $(getconf CLK_TCK)))
# What is measured around each wrk run: server CPU time (microseconds), or
# with callgrind the instructions executed since the last reset.
cost_start() { # PID
    if [ "$CALLGRIND" = 1 ]; then
        callgrind_control -z "$1" >/dev/null 2>&1
    else
        awk '{ print $14 + $15 }' "/proc/$1/stat"
    fi
}
cost_end() { # PID START -> cost since cost_start
    if [ "$CALLGRIND" = 1 ]; then
        callgrind_control -d "$1" >/dev/null 2>&1
        awk '/^summary:/ { print $2 }' "$(ls -t "$WORK/callgrind.$1".* | head -1)"
    else
        awk -v start="$2" -v tick="$TICK_US" '{ print ($14 + $15 - start) * tick }' "/proc/$1/stat"
    fi
}
UNIT="us CPU"
[ "$CALLGRIND" = 1 ] && UNIT="instructions"

run_wrk() { # PORT PATH [DURATION] -> "req/s requests"
    taskset -c "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"${3:-$DURATION}" "http://127.0.0.1:$1$2" \
        | awk '/ requests in / { n = $1 } /^Requests\/sec:/ { r = $2 } END { print r, n }'
}

declare -A RPS CPU
PATHS=("/ping" "/v1/notes/$ID")
# The baseline of each path: hello for /ping, hello-sqlite for the row.
baseline_port() { if [ "$1" = /ping ]; then echo "$HELLO_PORT"; else echo "$ROW_PORT"; fi; }
baseline_pid() { if [ "$1" = /ping ]; then echo "$HELLO_PID"; else echo "$ROW_PID"; fi; }
echo "bench: warming up"
for path in "${PATHS[@]}"; do
    run_wrk "$SERVICE_PORT" "$path" 2s >/dev/null
    run_wrk "$(baseline_port "$path")" "$path" 2s >/dev/null
done

echo "bench: $ROUNDS rounds of $DURATION per endpoint and server, $CONNECTIONS connections"
for round in $(seq 1 "$ROUNDS"); do
    for path in "${PATHS[@]}"; do
        for server in service hello; do
            port=$SERVICE_PORT pid=$SERVICE_PID
            [ "$server" = hello ] && port=$(baseline_port "$path") pid=$(baseline_pid "$path")
            start=$(cost_start "$pid")
            read -r rps requests < <(run_wrk "$port" "$path")
            cost=$(cost_end "$pid" "$start")
            us=$(awk -v c="$cost" -v n="$requests" 'BEGIN { printf "%.2f", c / n }')
            printf '  round %d  %-8s %-16s %10.0f req/s %12s %s/request\n' "$round" "$server" "$path" "$rps" "$us" "$UNIT"
            RPS[$server$path]=$(awk -v a="${RPS[$server$path]:-0}" -v b="$rps" 'BEGIN { print a + b }')
            CPU[$server$path]=$(awk -v a="${CPU[$server$path]:-0}" -v b="$us" 'BEGIN { print a + b }')
        done
    done
done

echo
printf '%-16s %14s %14s %8s   %s\n' endpoint "service req/s" "base req/s" ratio "$UNIT/request: service vs baseline (baseline/service)"
for path in "${PATHS[@]}"; do
    awk -v p="$path" -v s="${RPS[service$path]}" -v h="${RPS[hello$path]}" \
        -v cs="${CPU[service$path]}" -v ch="${CPU[hello$path]}" -v n="$ROUNDS" \
        'BEGIN { printf "%-16s %14.0f %14.0f %7.2fx   %.2f vs %.2f (%.2fx)\n", p, s / n, h / n, s / h, cs / n, ch / n, ch / cs }'
done

if [ "$COLD" = 1 ]; then
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    echo
    echo "bench: cold debug builds (empty target dirs), $COLD_ROUNDS rounds of service, hello, hello-sqlite"
    cold() { # DIR TARGET -> "WALL:CPU" in seconds (CPU: user + system of cargo and all it ran)
        local start end
        rm -rf "$2"
        start=$(date +%s.%N)
        (cd "$1" && CARGO_TARGET_DIR="$2" /usr/bin/time -f "%U %S" -o "$WORK/cold.time" cargo build -q)
        end=$(date +%s.%N)
        rm -rf "$2"
        awk -v a="$start" -v b="$end" '{ printf "%.1f:%.1f", b - a, $1 + $2 }' "$WORK/cold.time"
    }
    SERVICE_S=() HELLO_S=() ROW_S=()
    for round in $(seq "$COLD_ROUNDS"); do
        SERVICE_S+=("$(cold "$WORK/$NAME" "$WORK/cold-service")")
        HELLO_S+=("$(cold "$ROOT/bench/hello" "$WORK/cold-hello")")
        ROW_S+=("$(cold "$ROOT/bench/hello-sqlite" "$WORK/cold-hello-sqlite")")
        echo "round $round (wall:cpu seconds): service ${SERVICE_S[-1]}, hello ${HELLO_S[-1]}, hello-sqlite ${ROW_S[-1]} (load $(cut -d' ' -f1-3 /proc/loadavg))"
    done
    python3 - "${SERVICE_S[*]}" "${HELLO_S[*]}" "${ROW_S[*]}" <<'PY'
import statistics, sys
runs = [[tuple(float(x) for x in pair.split(":")) for pair in arg.split()] for arg in sys.argv[1:4]]
(sw, hw, rw), (sc, hc, rc) = ([[p[i] for p in v] for v in runs] for i in (0, 1))
ms, mh, mr = (statistics.median(v) for v in (sw, hw, rw))
print(f"cold build (medians): service {ms:.1f}s, hello {mh:.1f}s ({ms / mh:.2f}x, target <= 2x), "
      f"hello-sqlite {mr:.1f}s ({ms / mr:.2f}x)")
print("per round vs hello: " + ", ".join(f"{a / b:.2f}x" for a, b in zip(sw, hw)))
# CPU time barely depends on what else runs: the work each build does, whatever the
# wall time (on 2 idle cores the wall time of a build that keeps both busy is about
# half its CPU time, the hello's more than half as it cannot use both all the time).
mcs, mch, mcr = (statistics.median(v) for v in (sc, hc, rc))
print(f"cold build CPU (medians): service {mcs:.1f}s, hello {mch:.1f}s ({mcs / mch:.2f}x), "
      f"hello-sqlite {mcr:.1f}s ({mcs / mcr:.2f}x)")
PY
fi
