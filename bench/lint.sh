#!/usr/bin/env bash
# Times `paved lint --no-cache --format json CORPUS` (the engine itself; bench/cache.sh
# measures the cache) against the parse-only floor program (bench/floor), built twice: on
# the system allocator (the floor as defined) and on jemalloc, the allocator paved's binary
# uses (like for like). Same run, alternating. Prints files, lines, median seconds, the
# ratios and peak memory (issue 2: at most 1.2x the floor and 1 GB).
#
# Usage: bench/lint.sh [CORPUS_DIR]
#   CORPUS_DIR     default: the corpus built by bench/corpus.sh
#   ROUNDS=N       timed rounds per program (default 3), after one warm-up run each
#   PAVED_BENCH_CACHE  where the corpus and the floor's build live (default ~/.cache/paved-bench)
#
# Not a timed test: absolute seconds on shared machines are not stable, the ratio is.
# hyperfine runs one command's rounds back to back and does not measure memory, so the
# rounds are driven here: floor, paved, floor, paved, ... each under /usr/bin/time.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$REPO/bench"
CACHE="${PAVED_BENCH_CACHE:-$HOME/.cache/paved-bench}"
ROUNDS="${ROUNDS:-3}"

if [[ $# -ge 1 ]]; then
  CORPUS="$(cd "$1" && pwd)"
else
  PAVED_BENCH_CACHE="$CACHE" "$BENCH/corpus.sh" > /dev/null
  CORPUS="$CACHE/corpus"
fi

echo "building the floor, on the system allocator and on paved's (jemalloc) ..." >&2
CARGO_TARGET_DIR="$CACHE/floor-target" cargo build --release --locked --quiet \
  --manifest-path "$BENCH/floor/Cargo.toml"
FLOOR="$CACHE/floor-target/release/paved-floor"
CARGO_TARGET_DIR="$CACHE/floor-je-target" cargo build --release --locked --quiet \
  --manifest-path "$BENCH/floor/Cargo.toml" --features jemalloc
FLOOR_JE="$CACHE/floor-je-target/release/paved-floor"

echo "building paved (release) ..." >&2
cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" --bin paved
PAVED="${CARGO_TARGET_DIR:-$REPO/target}/release/paved"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# run NAME CMD...: one timed run; appends "seconds peak_kib cpu_seconds" to $TMP/NAME.times.
# paved exits 1 when it finds something at deny level, which on a corpus it will.
run() {
  local name="$1"; shift
  local start end code=0
  start="$(date +%s.%N)"
  /usr/bin/time -f '%M %U %S' -o "$TMP/rss" "$@" > "$TMP/$name.out" 2> "$TMP/$name.err" || code=$?
  end="$(date +%s.%N)"
  if [[ $code -gt 1 ]]; then
    echo "error: $name exited with $code:" >&2
    tail -5 "$TMP/$name.err" >&2
    exit 2
  fi
  read -r rss user sys < <(tail -1 "$TMP/rss")
  echo "$(echo "$end - $start" | bc -l) $rss $(echo "$user + $sys" | bc -l)" >> "$TMP/$name.times"
}

echo "warming up (page cache) ..." >&2
run warm-floor "$FLOOR" "$CORPUS"
run warm-paved "$PAVED" lint --no-cache --format json "$CORPUS"
for i in $(seq "$ROUNDS"); do
  echo "round $i/$ROUNDS ..." >&2
  run floor "$FLOOR" "$CORPUS"
  run floor-je "$FLOOR_JE" "$CORPUS"
  run paved "$PAVED" lint --no-cache --format json "$CORPUS"
done

python3 - "$TMP" "$CORPUS" "$ROUNDS" <<'PY'
import json, statistics, sys
tmp, corpus, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
def times(name):
    rows = [l.split() for l in open(f"{tmp}/{name}.times")]
    return [float(r[0]) for r in rows], [int(r[1]) for r in rows], [float(r[2]) for r in rows]
floor_out = dict(l.split(": ", 1) for l in open(f"{tmp}/floor.out").read().splitlines() if ": " in l)
report = json.load(open(f"{tmp}/paved.out"))
fs, fk, fc = times("floor")
js, jk, jc = times("floor-je")
ps, pk, pc = times("paved")
f_med, p_med = statistics.median(fs), statistics.median(ps)
print(f"corpus:  {corpus}")
print(f"files:   {int(floor_out['files']):,} .rs files (paved linted {report['summary']['files']:,} in {report['summary']['crates']} crates)")
print(f"lines:   {int(floor_out['lines']):,}")
print(f"findings: {len(report['diagnostics']):,} ({report['summary']['deny']:,} deny, {report['summary']['warn']:,} warn)")
print(f"rounds:  {rounds} each, alternating, after one warm-up run each")
print(f"floor:   {f_med:7.2f} s median  ({', '.join(f'{s:.2f}' for s in fs)})  peak RSS {max(fk)/1024:7.1f} MB")
print(f"floor-je:{statistics.median(js):7.2f} s median  ({', '.join(f'{s:.2f}' for s in js)})  peak RSS {max(jk)/1024:7.1f} MB (the floor on jemalloc)")
print(f"paved:   {p_med:7.2f} s median  ({', '.join(f'{s:.2f}' for s in ps)})  peak RSS {max(pk)/1024:7.1f} MB")
ratio = p_med / f_med
cpu_ratio = statistics.median(pc) / max(statistics.median(fc), 0.01)
print(f"cpu:     floor {statistics.median(fc):.2f} s, paved {statistics.median(pc):.2f} s (user+sys medians; "
      f"{cpu_ratio:.2f}x, steadier than wall time on a busy machine)")
print(f"ratio:   {ratio:.2f}x paved/floor wall time (target <= 1.20x), paved peak memory {max(pk)/1024:.0f} MB (target <= 1024 MB)")
je_cpu = statistics.median(pc) / max(statistics.median(jc), 0.01)
print(f"like-for-like: {p_med / statistics.median(js):.2f}x wall, {je_cpu:.2f}x CPU against the floor on "
      f"jemalloc (paved's own work, the allocator set aside)")
PY
