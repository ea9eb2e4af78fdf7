#!/usr/bin/env bash
# `paved report` and `paved talk` on a generated monorepo, against `paved lint` on the same
# monorepo in the same run (issue 14: both well under a second for 50 services; the HTML
# report of 200 services under 2 MB).
#
#   bench/fleet.sh              # 50 services, then the size of the 200-service report
#
# The monorepo is made with `paved new` (sqlite variant, all defaults) in a temporary
# cargo workspace; a fifth of the services get a few lines that drift, so the report and
# the deck have findings to show. Rounds alternate (lint, report, talk --from, talk, lint,
# ...) so machine noise hits all alike; the median of each is printed with its ratio to
# lint. Knobs: SERVICES=50  BIG=200  ROUNDS=5  BENCH_TARGET_DIR=<repo>/target/bench
# Needs: cargo, bc, python3, GNU time (/usr/bin/time).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICES=${SERVICES:-50}
BIG=${BIG:-200}
ROUNDS=${ROUNDS:-5}
export CARGO_TARGET_DIR=${BENCH_TARGET_DIR:-$ROOT/target/bench}

echo "building paved (release) ..." >&2
cargo build --release --locked --quiet --manifest-path "$ROOT/Cargo.toml" --bin paved
PAVED="$CARGO_TARGET_DIR/release/paved"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# monorepo DIR N: a workspace of N services made by `paved new`.
monorepo() {
  local dir=$1 n=$2
  mkdir -p "$dir/services"
  printf '[workspace]\nmembers = ["services/*"]\nresolver = "3"\n' > "$dir/Cargo.toml"
  for i in $(seq -w 1 "$n"); do
    "$PAVED" new "svc-$i" --dest "$dir/services/svc-$i" -y --vcs none --owner "@team-$((10#$i % 7))" > /dev/null
    if (( 10#$i % 5 == 0 )); then
      printf '\nfn banner() {\n    println!("svc-%s");\n    let _ = std::env::var("MODE");\n}\n' "$i" >> "$dir/services/svc-$i/src/main.rs"
    fi
  done
}

echo "generating $SERVICES services ..." >&2
monorepo "$WORK/fleet" "$SERVICES"
files=$(find "$WORK/fleet" -name '*.rs' | wc -l)

# measure CMD...: "wall,cpu" seconds of one run (cpu = user + system), from GNU time.
measure() {
  /usr/bin/time -f '%e %U %S' -o "$WORK/time" "$@" > /dev/null 2>&1
  read -r wall user sys < "$WORK/time"
  echo "$wall,$(echo "$user + $sys" | bc -l)"
}

declare -A times
cd "$WORK"
for round in $(seq 0 "$ROUNDS"); do
  t_lint=$(measure "$PAVED" lint fleet --exit-zero --format json)
  t_report=$(measure "$PAVED" report fleet -o report.html)
  t_from=$(measure "$PAVED" talk all --from fleet -o deck)
  t_talk=$(measure "$PAVED" talk all -o deck)
  (( round == 0 )) && continue  # warm-up
  times[lint]+="$t_lint "; times[report]+="$t_report "; times[talk-from]+="$t_from "; times[talk]+="$t_talk "
done

python3 - "$SERVICES" "$files" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "${times[lint]}" "${times[report]}" "${times[talk-from]}" "${times[talk]}" <<'PY'
import statistics, sys
services, files, cpus, load = sys.argv[1:5]
runs = [[tuple(map(float, r.split(","))) for r in s.split()] for s in sys.argv[5:9]]
names = ["paved lint", "paved report", "paved talk all --from", "paved talk all"]
wall = [statistics.median(w for w, _ in r) for r in runs]
cpu = [statistics.median(c for _, c in r) for r in runs]
print(f"{services} services, {files} .rs files; {cpus} CPUs, load average {load}")
print(f"{'command':24} {'wall s':>7} {'vs lint':>8} {'cpu s':>7} {'vs lint':>8}   wall per round")
for i, name in enumerate(names):
    rounds = " ".join(f"{w:.2f}" for w, _ in runs[i])
    print(f"{name:24} {wall[i]:7.3f} {wall[i] / wall[0]:7.2f}x {cpu[i]:7.3f} {cpu[i] / cpu[0]:7.2f}x   {rounds}")
PY
printf 'report.html: %s KB, talk-all.html: %s KB\n' \
  "$(( $(stat -c %s report.html) / 1024 ))" "$(( $(stat -c %s deck/talk-all.html) / 1024 ))"

echo "generating $BIG services ..." >&2
monorepo "$WORK/big" "$BIG"
t_big=$(measure "$PAVED" report big -o big.html)
t_big_lint=$(measure "$PAVED" lint big --exit-zero --format json)
size=$(stat -c %s big.html)
printf '%s services: report %s s wall,cpu; lint %s; report.html %s KB (limit 2048 KB)\n' \
  "$BIG" "$t_big" "$t_big_lint" "$(( size / 1024 ))"
(( size < 2 * 1024 * 1024 )) || { echo "bench: the $BIG-service report is over 2 MB" >&2; exit 1; }
