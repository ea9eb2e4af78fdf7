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
# Needs: cargo, python3.
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

# seconds CMD...: wall time of one run.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l 2>/dev/null || python3 -c "print($end - $start)"
}

declare -A times
names=(lint report talk-from talk)
cd "$WORK"
for round in $(seq 0 "$ROUNDS"); do
  t_lint=$(seconds "$PAVED" lint fleet --exit-zero --format json)
  t_report=$(seconds "$PAVED" report fleet -o report.html)
  t_from=$(seconds "$PAVED" talk all --from fleet -o deck)
  t_talk=$(seconds "$PAVED" talk all -o deck)
  (( round == 0 )) && continue  # warm-up
  times[lint]+="$t_lint "; times[report]+="$t_report "; times[talk-from]+="$t_from "; times[talk]+="$t_talk "
done

python3 - "$SERVICES" "$files" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "${times[lint]}" "${times[report]}" "${times[talk-from]}" "${times[talk]}" <<'PY'
import statistics, sys
services, files, cpus, load = sys.argv[1:5]
runs = [list(map(float, s.split())) for s in sys.argv[5:9]]
names = ["paved lint", "paved report", "paved talk all --from", "paved talk all"]
med = [statistics.median(r) for r in runs]
print(f"{services} services, {files} .rs files; {cpus} CPUs, load average {load}")
print(f"{'command':24} {'median s':>9} {'vs lint':>8}   rounds")
for name, m, r in zip(names, med, runs):
    print(f"{name:24} {m:9.3f} {m / med[0]:7.2f}x   {' '.join(f'{x:.3f}' for x in r)}")
PY
printf 'report.html: %s KB, talk-all.html: %s KB\n' \
  "$(( $(stat -c %s report.html) / 1024 ))" "$(( $(stat -c %s deck/talk-all.html) / 1024 ))"

echo "generating $BIG services ..." >&2
monorepo "$WORK/big" "$BIG"
t_big=$(seconds "$PAVED" report big -o big.html)
size=$(stat -c %s big.html)
printf '%s services: report %.3f s, %s KB (limit 2048 KB)\n' "$BIG" "$t_big" "$(( size / 1024 ))"
(( size < 2 * 1024 * 1024 )) || { echo "bench: the $BIG-service report is over 2 MB" >&2; exit 1; }
