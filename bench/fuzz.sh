#!/usr/bin/env bash
# The mutation fuzzer of lints/tests/fuzz.rs, longer and over the benchmark corpus
# (bench/corpus.sh): its real third-party files are mutated (tokens and lines deleted,
# duplicated and swapped, truncation, invalid UTF-8, deeply nested expressions), linted
# with every rule and fixed with --fix --unsafe-fixes, 16 files to a crate. Fails on a
# panic, on an unparsable file not reported as parse-error, and on a fix that breaks a
# file that parsed. Prints how many files were mutated in how many minutes.
#
# Usage: bench/fuzz.sh [CORPUS_DIR]
#   MINUTES=N          time budget (default 10)
#   SEED=N             mutation seed (default 13; the same seed repeats the same run)
#   PAVED_BENCH_CACHE  where the corpus lives (default ~/.cache/paved-bench)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_CACHE="${PAVED_BENCH_CACHE:-$HOME/.cache/paved-bench}"
if [[ $# -ge 1 ]]; then
  CORPUS="$(cd "$1" && pwd)"
else
  PAVED_BENCH_CACHE="$BENCH_CACHE" "$REPO/bench/corpus.sh" > /dev/null
  CORPUS="$BENCH_CACHE/corpus"
fi

PAVED_FUZZ_SOURCES="$CORPUS" \
PAVED_FUZZ_SECONDS="$(( ${MINUTES:-10} * 60 ))" \
PAVED_FUZZ_SEED="${SEED:-13}" \
  cargo test --release --quiet --manifest-path "$REPO/Cargo.toml" -p paved-lints --test fuzz \
    -- --nocapture 2>&1 | grep -E '^fuzz:|panicked|overflow|FAILED|test result' 
