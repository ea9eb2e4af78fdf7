#!/usr/bin/env bash
# Times the lint cache on a copy of the benchmark corpus (bench/corpus.sh), in the same run
# and alternating: a run without the cache (`--no-cache`, what paved did before it had
# one), a cold run (empty cache: everything analysed and stored), a warm run (nothing
# changed) and a run after one file changed (a line appended to tokio's lib.rs). Prints the
# medians and the ratios the cache is held to (issue 13): warm <= 5% and one file changed
# <= 10% of the cold run's wall time, cold no more than a few percent slower than no cache.
# Also checks that every cached run printed exactly what the run without the cache did.
#
# Usage: bench/cache.sh [CORPUS_DIR]
#   CORPUS_DIR     default: the corpus built by bench/corpus.sh
#   ROUNDS=N       rounds (default 3), after one warm-up run
# Needs cargo, bc, python3 and GNU time (/usr/bin/time).
#   PAVED_BENCH_CACHE  where the corpus lives (default ~/.cache/paved-bench)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_CACHE="${PAVED_BENCH_CACHE:-$HOME/.cache/paved-bench}"
ROUNDS="${ROUNDS:-3}"

if [[ $# -ge 1 ]]; then
  SOURCE="$(cd "$1" && pwd)"
else
  PAVED_BENCH_CACHE="$BENCH_CACHE" "$REPO/bench/corpus.sh" > /dev/null
  SOURCE="$BENCH_CACHE/corpus"
fi

echo "building paved (release) ..." >&2
cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" --bin paved
PAVED="${CARGO_TARGET_DIR:-$REPO/target}/release/paved"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "copying the corpus (one file of the copy gets edited) ..." >&2
cp -r "$SOURCE" "$TMP/corpus"
CORPUS="$TMP/corpus"
export PAVED_CACHE_DIR="$TMP/cache"
EDITED="$(ls -d "$CORPUS"/tokio-1.*/src/lib.rs | head -1)"

# run NAME ARGS...: one timed `paved lint --format json ARGS CORPUS`; appends the wall
# seconds to $TMP/NAME.times and keeps the output in $TMP/NAME.out.
run() {
  local name="$1"; shift
  local start end code=0
  start="$(date +%s.%N)"
  /usr/bin/time -f '%U %S' -o "$TMP/cpu" "$PAVED" lint --format json "$@" "$CORPUS" \
    > "$TMP/$name.out" 2> "$TMP/$name.err" || code=$?
  end="$(date +%s.%N)"
  if [[ $code -gt 1 ]]; then
    echo "error: $name exited with $code:" >&2
    tail -5 "$TMP/$name.err" >&2
    exit 2
  fi
  read -r user sys < <(tail -1 "$TMP/cpu")
  echo "$(echo "$end - $start" | bc -l) $(echo "$user + $sys" | bc -l)" >> "$TMP/$name.times"
}

same() {
  if ! cmp -s "$TMP/$1.out" "$TMP/$2.out"; then
    echo "error: the $2 run printed something else than the $1 run" >&2
    diff <(head -c 2000 "$TMP/$1.out") <(head -c 2000 "$TMP/$2.out") >&2 || true
    exit 1
  fi
}

echo "warming up (page cache) ..." >&2
run warmup --no-cache
rm -f "$TMP/warmup.times"
for i in $(seq "$ROUNDS"); do
  echo "round $i/$ROUNDS ..." >&2
  run nocache --no-cache
  rm -rf "$PAVED_CACHE_DIR"
  run cold
  same nocache cold
  run warm
  same nocache warm
  echo "// edited by bench/cache.sh, round $i" >> "$EDITED"
  run edited
  run edited-check --no-cache
  same edited-check edited
  rm -f "$TMP/edited-check.times"
done

python3 - "$TMP" "$ROUNDS" "$EDITED" "$(du -sh "$PAVED_CACHE_DIR" | cut -f1)" <<'PY'
import json, statistics, sys
tmp, rounds, edited, size = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def times(name):
    return [float(l.split()[0]) for l in open(f"{tmp}/{name}.times")]
def cpu(name):
    return statistics.median(float(l.split()[1]) for l in open(f"{tmp}/{name}.times"))
report = json.load(open(f"{tmp}/nocache.out"))
print(f"files:    {report['summary']['files']:,} .rs files in {report['summary']['crates']} crates; cache {size}")
print(f"rounds:   {rounds}, alternating no-cache, cold, warm, one file changed ({edited.split('/corpus/')[-1]})")
med = {}
for name in ["nocache", "cold", "warm", "edited"]:
    t = times(name)
    med[name] = statistics.median(t)
    print(f"{name:9s} {med[name]:7.2f} s median  ({', '.join(f'{s:.2f}' for s in t)})  cpu {cpu(name):.2f} s")
print(f"cold/no-cache:  {med['cold'] / med['nocache']:.3f}x wall, {cpu('cold') / cpu('nocache'):.3f}x cpu "
      "(the cost of storing the results; cpu is steadier on a busy machine)")
print(f"warm/cold:      {100 * med['warm'] / med['cold']:.1f}% (target <= 5%)")
print(f"one file/cold:  {100 * med['edited'] / med['cold']:.1f}% (target <= 10%)")
print("every cached run printed exactly what the run without the cache printed")
PY
