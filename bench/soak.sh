#!/usr/bin/env bash
# Soak: the attacks of tests/faults_service.rs, longer and wider, by hand.
# Generates the sqlite service, builds it in release mode, then runs cycles of:
#   - wrk posting notes on 64 keep-alive connections for the whole cycle;
#   - a backup every BACKUP_EVERY seconds, each bounded by BACKUP_LIMIT;
#   - 200 silent and 200 trickling sockets that must all be cut by the
#     header-read timeout;
#   - SIGTERM at the end, under load: wrk must see no read error (a request
#     reset); refused reconnects after the listener closes are expected.
#
#   bench/soak.sh                     # 5 cycles of 60 s
# Knobs: SOAK_CYCLES=5 SOAK_SECONDS=60 BACKUP_EVERY=10 BACKUP_LIMIT=30
#        BENCH_TARGET_DIR=<repo>/target/bench
# Needs: cargo, wrk, curl, python3. Loopback only; every loop is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CYCLES=${SOAK_CYCLES:-5}
SECONDS_PER_CYCLE=${SOAK_SECONDS:-60}
BACKUP_EVERY=${BACKUP_EVERY:-10}
BACKUP_LIMIT=${BACKUP_LIMIT:-30}
export CARGO_TARGET_DIR=${BENCH_TARGET_DIR:-$ROOT/target/bench}
NAME=soak-notes

for tool in cargo wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "soak: $tool is not installed" >&2; exit 2; }
done

WORK=$(mktemp -d)
SERVICE_PID=
cleanup() {
    [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "soak: generating $NAME (sqlite) and building it in release mode"
(cd "$ROOT" && cargo build -q -p paved)
"$CARGO_TARGET_DIR/debug/paved" new "$NAME" --yes --vcs none --storage sqlite --dest "$WORK/$NAME" >/dev/null
(cd "$WORK/$NAME" && cargo build -q --release)
BINARY="$CARGO_TARGET_DIR/release/$NAME"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"text":"soak"}'
LUA

# The binary with the soak's configuration: `$WORK/run serve`, `$WORK/run backup`.
cat >"$WORK/run" <<SH
#!/usr/bin/env bash
cd "$WORK/$NAME" && APP_ENV=production \\
    APP__SERVER__HOST=127.0.0.1 APP__SERVER__PORT="$PORT" \\
    APP__SERVER__DRAIN_DELAY_SECONDS=2 APP__SERVER__SHUTDOWN_GRACE_SECONDS=5 \\
    APP__SERVER__HEADER_READ_TIMEOUT_SECONDS=3 \\
    APP__LOG__LEVEL="info,access=warn" \\
    APP__STORAGE__PATH="$WORK/data/notes.db" APP__BACKUP__DIR="$WORK/data/backups" \\
    APP__BACKUP__KEEP=3 \\
    exec "$BINARY" "\$@"
SH
chmod +x "$WORK/run"

slow_clients() { # COUNT: silent and trickling sockets; fails unless all are cut in time
    python3 - "$PORT" "$1" <<'PY'
import socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    if i % 2:
        s.sendall(b"GET /ping HTTP/1.1\r\n")
    s.setblocking(False)
    socks.append(s)
start, open_ = time.time(), set(range(count))
while open_ and time.time() - start < 10:
    for i in list(open_):
        try:
            if i % 2:
                socks[i].send(b"x")
            if socks[i].recv(1) == b"":
                open_.discard(i)
        except BlockingIOError:
            pass
        except OSError:
            open_.discard(i)
    time.sleep(0.2)
print(f"soak: {count - len(open_)}/{count} slow sockets cut in {time.time() - start:.1f} s")
sys.exit(1 if open_ else 0)
PY
}

failures=0
for cycle in $(seq 1 "$CYCLES"); do
    "$WORK/run" serve >>"$WORK/service.log" 2>&1 &
    SERVICE_PID=$!
    for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$PORT/ping" >/dev/null && break; sleep 0.05; done

    wrk -t2 -c64 -d$((SECONDS_PER_CYCLE + 10))s -s "$WORK/post.lua" "http://127.0.0.1:$PORT/v1/notes" >"$WORK/wrk.txt" 2>&1 &
    WRK_PID=$!
    slow_clients 400 || failures=$((failures + 1))

    elapsed=0
    while [ "$elapsed" -lt "$SECONDS_PER_CYCLE" ]; do
        start=$(date +%s.%N)
        if timeout "$BACKUP_LIMIT" "$WORK/run" backup >/dev/null 2>&1; then
            took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
            echo "soak: cycle $cycle backup in ${took}s"
        else
            echo "soak: cycle $cycle backup FAILED or over ${BACKUP_LIMIT}s"
            failures=$((failures + 1))
        fi
        sleep "$BACKUP_EVERY"
        elapsed=$((elapsed + BACKUP_EVERY))
    done

    kill -TERM "$SERVICE_PID"
    wait "$SERVICE_PID" || { echo "soak: cycle $cycle exit status $?"; failures=$((failures + 1)); }
    SERVICE_PID=
    wait "$WRK_PID" || true
    # A read error is a request sent and then reset. Write errors are wrk's
    # reconnects being refused once the listener has closed (it reports a
    # refused non-blocking connect on its first write): expected.
    read_errors=$(sed -n 's/.*Socket errors: connect [0-9]*, read \([0-9]*\),.*/\1/p' "$WORK/wrk.txt")
    echo "soak: cycle $cycle: $(grep -E 'requests in' "$WORK/wrk.txt" | xargs); $(grep -E 'Socket errors' "$WORK/wrk.txt" | xargs)"
    if [ "${read_errors:-0}" != 0 ]; then failures=$((failures + 1)); fi
done

echo "soak: $failures failure(s) in $CYCLES cycle(s)"
[ "$failures" -eq 0 ]
