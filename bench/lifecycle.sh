#!/usr/bin/env bash
# `paved check` over a monorepo of generated services, and `paved upgrade` of one service
# (issue 12: check of 50 services well under a second; an upgrade under 100 ms plus the
# time of writing files).
#
#   bench/lifecycle.sh          # 50 services
#
# Baselines measured in the same run: `paved --version` (process start, nothing read)
# and `cat` of every file of the monorepo (reading the bytes, the floor of any check).
# Rounds alternate so machine noise hits all alike; medians are printed with ratios.
# Upgrades run on a fresh copy of the service each round (the copy is not timed):
#   no-op       a service already up to date (renders base and theirs, compares, writes nothing)
#   storage     `--answer storage=none` on a generated service (about 20 files written)
#   tiny v1->v2 the fixture of generator/tests/fixtures/lifecycle (every kind of change)
# Knobs: SERVICES=50  ROUNDS=7  BENCH_TARGET_DIR=<repo>/target/bench
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICES=${SERVICES:-50}
ROUNDS=${ROUNDS:-7}
export CARGO_TARGET_DIR=${BENCH_TARGET_DIR:-$ROOT/target/bench}

echo "building paved (release) ..." >&2
cargo build --release --locked --quiet --manifest-path "$ROOT/Cargo.toml" --bin paved
PAVED="$CARGO_TARGET_DIR/release/paved"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

mono="$WORK/mono"
mkdir -p "$mono/services"
printf '[workspace]\nmembers = ["services/*"]\nresolver = "3"\n' > "$mono/Cargo.toml"
for i in $(seq -w 1 "$SERVICES"); do
  "$PAVED" new "svc-$i" --dest "$mono/services/svc-$i" -y --vcs none > /dev/null
done
"$PAVED" new single --dest "$WORK/single" -y --vcs none > /dev/null
V1="$ROOT/generator/tests/fixtures/lifecycle/v1"
V2="$ROOT/generator/tests/fixtures/lifecycle/v2"
"$PAVED" new tiny --dest "$WORK/tiny" -y --vcs none --template "$V1" > /dev/null
files=$(find "$mono" -type f | wc -l)
echo "monorepo: $SERVICES services, $files files" >&2

# ms CMD...: wall time of one run in milliseconds (output discarded; exit code ignored).
ms() {
  local start end
  start=$(date +%s%N)
  "$@" > /dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 ))
}
declare -A times
record() { times[$1]+="$2 "; }
cat_all() { find "$mono" -type f -exec cat {} + ; }

for _ in $(seq "$ROUNDS"); do
  record start "$(ms "$PAVED" --version)"
  record cat "$(ms cat_all)"
  record check "$(ms "$PAVED" check "$mono")"
  rm -rf "$WORK/copy" && cp -r "$WORK/single" "$WORK/copy"
  record noop "$(ms "$PAVED" upgrade "$WORK/copy")"
  record storage "$(ms "$PAVED" upgrade "$WORK/copy" --answer storage=none)"
  rm -rf "$WORK/tcopy" && cp -r "$WORK/tiny" "$WORK/tcopy"
  record tiny "$(ms "$PAVED" upgrade "$WORK/tcopy" --template "$V2" --from "$V1")"
done

median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(median "${times[start]}")
printf '%-34s %10s %8s\n' "median of $ROUNDS rounds" "ms" "x start"
for key in start cat check noop storage tiny; do
  m=$(median "${times[$key]}")
  label=$key
  case $key in
    start) label="paved --version (process start)" ;;
    cat) label="cat of the $files files" ;;
    check) label="paved check, $SERVICES services" ;;
    noop) label="paved upgrade, up to date" ;;
    storage) label="paved upgrade --answer storage=none" ;;
    tiny) label="paved upgrade, tiny v1->v2" ;;
  esac
  printf '%-34s %10.1f %8.1f\n' "$label" "$(bc -l <<<"$m/1000")" "$(bc -l <<<"$m/$base")"
done
