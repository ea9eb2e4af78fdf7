#!/usr/bin/env bash
# `paved lint --fix --unsafe-fixes` over a copy of the whole benchmark corpus
# (bench/corpus.sh), then three checks:
#   1. every fixed file still parses: the files reported as parse-error after the fixes
#      are exactly those reported before them;
#   2. a second `--fix --unsafe-fixes` run changes nothing (same hash of every file);
#   3. on another copy fixed with the safe fixes only, `cargo check` still succeeds for up
#      to CHECK crates the fixes changed (those whose original also checks on this machine;
#      their dependencies come from crates.io as when the corpus was vendored).
#
# Usage: bench/fix-corpus.sh [CORPUS_DIR]
#   CHECK=N            crates to `cargo check` (default 3)
#   CHECK_UNSAFE=N     crates changed by unsafe fixes to `cargo check`, for information (default 2)
#   PAVED_BENCH_CACHE  where the corpus lives (default ~/.cache/paved-bench)
# Needs cargo, python3 and sha256sum.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_CACHE="${PAVED_BENCH_CACHE:-$HOME/.cache/paved-bench}"
CHECK="${CHECK:-3}"
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

# parse_errors DIR OUT: the paths (relative to DIR) reported as parse-error.
parse_errors() {
  (cd "$1" && "$PAVED" lint --no-cache --select parse-error --format json . || true) \
    | python3 -c 'import json,sys; print("\n".join(sorted({d["path"] for d in json.load(sys.stdin)["diagnostics"]})))' > "$2"
}

# hashes DIR OUT: a hash of every file below DIR.
hashes() {
  (cd "$1" && find . -type f \( -name '*.rs' -o -name '*.toml' \) -print0 | sort -z | xargs -0 sha256sum) > "$2"
}

echo "copying the corpus ..." >&2
cp -r "$SOURCE" "$TMP/all"
cp -r "$SOURCE" "$TMP/safe"
parse_errors "$TMP/all" "$TMP/errors-before"
hashes "$TMP/all" "$TMP/hash-original"

echo "fixing (--fix --unsafe-fixes) ..." >&2
start="$(date +%s)"
(cd "$TMP/all" && "$PAVED" lint --no-cache --fix --unsafe-fixes --quiet --format json . > /dev/null 2> "$TMP/fix1.err" || true)
minutes="$(python3 -c "print(f'{($(date +%s) - $start) / 60:.1f}')")"
hashes "$TMP/all" "$TMP/hash-fixed"
changed="$(diff "$TMP/hash-original" "$TMP/hash-fixed" | grep -c '^>' || true)"
echo "first run:  $(grep -E '^fixed' "$TMP/fix1.err" || echo 'no summary'); $changed files changed; $minutes min"
grep -E '^warning' "$TMP/fix1.err" | head -5 || true

parse_errors "$TMP/all" "$TMP/errors-after"
if ! diff "$TMP/errors-before" "$TMP/errors-after" > "$TMP/errors-diff"; then
  echo "FAIL: the fixes changed which files parse:" >&2
  cat "$TMP/errors-diff" >&2
  exit 1
fi
echo "parse:      every fixed file still parses ($(wc -l < "$TMP/errors-before") files did not parse before and still do not)"

(cd "$TMP/all" && "$PAVED" lint --no-cache --fix --unsafe-fixes --quiet --format json . > /dev/null 2> "$TMP/fix2.err" || true)
hashes "$TMP/all" "$TMP/hash-second"
if ! diff -q "$TMP/hash-fixed" "$TMP/hash-second" > /dev/null; then
  echo "FAIL: a second --fix --unsafe-fixes changed files:" >&2
  diff "$TMP/hash-fixed" "$TMP/hash-second" | grep '^>' | head >&2
  exit 1
fi
echo "second run: changed nothing ($(grep -E '^fixed' "$TMP/fix2.err" || echo 'no summary'))"

echo "fixing a second copy with the safe fixes only ..." >&2
(cd "$TMP/safe" && "$PAVED" lint --no-cache --fix --quiet --format json . > /dev/null 2> "$TMP/safe.err" || true)
hashes "$TMP/safe" "$TMP/hash-safe"
# Crates (top folders of the corpus) with a file the safe fixes changed, smallest first.
mapfile -t crates < <(diff "$TMP/hash-original" "$TMP/hash-safe" | grep '^>' \
  | awk '{print $3}' | cut -d/ -f2 | sort -u \
  | while read -r c; do echo "$(du -s "$TMP/safe/$c" | cut -f1) $c"; done | sort -n | awk '{print $2}')
echo "safe fixes: $(grep -E '^fixed' "$TMP/safe.err" || echo 'no summary'); ${#crates[@]} crates changed"
checked=0
export CARGO_TARGET_DIR="$TMP/check-target"
for c in "${crates[@]}"; do
  [[ $checked -ge $CHECK ]] && break
  # The original must build here (a vendored crate may need another target or features).
  cp -r "$SOURCE/$c" "$TMP/original-$c"
  if ! (cd "$TMP/original-$c" && cargo check --quiet --lib > "$TMP/check.log" 2>&1); then
    echo "  $c: skipped, the original does not check on this machine"
    continue
  fi
  if (cd "$TMP/safe/$c" && cargo check --quiet --lib > "$TMP/check.log" 2>&1); then
    echo "  $c: cargo check succeeds after the safe fixes"
    checked=$((checked + 1))
  else
    echo "FAIL: $c no longer checks after its safe fixes:" >&2
    tail -20 "$TMP/check.log" >&2
    exit 1
  fi
done
echo "checked:    $checked crates with safe fixes build (cargo check)"

# For information (never a failure: such fixes say they may change or break the code):
# the same check on up to CHECK_UNSAFE crates changed by --unsafe-fixes.
mapfile -t crates < <(diff "$TMP/hash-original" "$TMP/hash-fixed" | grep '^>' \
  | awk '{print $3}' | cut -d/ -f2 | sort -u \
  | while read -r c; do echo "$(du -s "$TMP/all/$c" | cut -f1) $c"; done | sort -n | awk '{print $2}')
for c in "${crates[@]:0:${CHECK_UNSAFE:-2}}"; do
  if (cd "$TMP/all/$c" && cargo check --quiet --lib > "$TMP/check.log" 2>&1); then
    echo "  unsafe fixes, $c: cargo check succeeds"
  else
    echo "  unsafe fixes, $c: cargo check fails: $(grep -m1 '^error' "$TMP/check.log" || tail -1 "$TMP/check.log")"
  fi
done

# The corpus has no code that a safe fix applies to (see bench/README.md); the safe fix
# and a `cargo check` after it, on a generated service with an injected drift.
PAVED="$PAVED" CARGO_TARGET_DIR="$TMP/check-target" "$REPO/bench/fix-service.sh"
