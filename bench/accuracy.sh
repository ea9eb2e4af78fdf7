#!/usr/bin/env bash
# The real-world accuracy check (docs/accuracy.md): lints each public repository listed in
# bench/accuracy/repos.toml with `paved lint --format json`, prints the findings per
# repository (with wall and CPU seconds and peak memory) and per rule, says how many
# findings of each class of the last review (bench/accuracy/baseline-classes.tsv) are still
# reported, and draws the seeded stratified sample (70 findings, at most 10 per rule) as a
# worksheet to judge by hand.
#
# Usage: bench/accuracy.sh [--seed N] [--size N] [--per-rule N]
#   PAVED_ACCURACY_DIR  where the checkouts live, one folder per repository named
#                       <owner>+<name> (default ~/.cache/paved-accuracy)
#   PAVED_ACCURACY_OUT  where results go (default $PAVED_ACCURACY_DIR/.results/seed-N)
#   PAVED               the paved binary to judge (default: build this repository's release)
#
# No network: get each checkout once, as bench/accuracy/repos.toml says:
#   git clone https://github.com/OWNER/NAME "$PAVED_ACCURACY_DIR/OWNER+NAME"
#   git -C "$PAVED_ACCURACY_DIR/OWNER+NAME" checkout COMMIT
# A repository that is missing is named with those commands and skipped; the run goes on
# with the others. paved is only read-only here: it lints, never fixes.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIST="$REPO/bench/accuracy/repos.toml"
DIR="${PAVED_ACCURACY_DIR:-$HOME/.cache/paved-accuracy}"
SEED=1
SAMPLE_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seed) SEED="$2"; shift 2 ;;
    --size|--per-rule) SAMPLE_ARGS+=("$1" "$2"); shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ ! -d "$DIR" ]]; then
  echo "error: no checkout folder $DIR" >&2
  echo "  hint: set PAVED_ACCURACY_DIR, or clone the repositories of $LIST there" >&2
  exit 2
fi
DIR="$(cd "$DIR" && pwd)"
OUT="${PAVED_ACCURACY_OUT:-$DIR/.results/seed-$SEED}"
mkdir -p "$OUT/json"
rm -f "$OUT"/json/*.json

if [[ -z "${PAVED:-}" ]]; then
  echo "building paved (release) ..." >&2
  cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" --bin paved
  PAVED="${CARGO_TARGET_DIR:-$REPO/target}/release/paved"
fi
PAVED="$(cd "$(dirname "$PAVED")" && pwd)/$(basename "$PAVED")"
echo "paved: $PAVED ($("$PAVED" --version))"
echo "checkouts: $DIR"
echo "results: $OUT"

# "owner/name<TAB>commit" for each listed repository.
repos() {
  python3 - "$LIST" <<'PY'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    for repo in tomllib.load(f)["repo"]:
        print(f"{repo['name']}\t{repo['commit']}")
PY
}

# commit_note DIR COMMIT: says when the checkout is not at the listed commit.
commit_note() {
  local head
  if ! head="$(git -C "$1" rev-parse HEAD 2>/dev/null)"; then
    echo "not a git checkout: commit not verified"
  elif [[ "$head" != "$2" ]]; then
    echo "WARNING: at $head, listed commit is $2: numbers not comparable"
  fi
}

# timed NAME: runs paved on checkout NAME; prints "wall_s cpu_s peak_kib exit".
# /usr/bin/time gives CPU time and peak memory; without it, wall time only.
timed() {
  local out="$OUT/json/$1.json" err="$OUT/json/$1.stderr" times="$OUT/json/$1.time" status
  set +e
  if [[ -x /usr/bin/time ]]; then
    (cd "$DIR" && /usr/bin/time -o "$times" -f '%e %U %S %M' \
      "$PAVED" lint --format json --exit-zero "$1") > "$out" 2> "$err"
    status=$?
    set -e
    # On a non-zero exit /usr/bin/time writes a status line first: the numbers are last.
    tail -n 1 "$times" | awk -v s="$status" '{printf "%.2f\t%.2f\t%d\t%s\n", $1, $2 + $3, $4, s}'
  else
    local start; start="$(date +%s.%N)"
    (cd "$DIR" && "$PAVED" lint --format json --exit-zero "$1") > "$out" 2> "$err"
    status=$?
    set -e
    printf '%.2f\t-\t-\t%s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$status"
  fi
}

printf 'repo\tseconds\tcpu_seconds\tpeak_kib\texit\n' > "$OUT/runs.tsv"
missing=0
while IFS=$'\t' read -r name commit; do
  folder="${name/\//+}"
  if [[ ! -d "$DIR/$folder" ]]; then
    missing=$((missing + 1))
    echo "missing: $name (get it: git clone https://github.com/$name $DIR/$folder" \
      "&& git -C $DIR/$folder checkout $commit)" >&2
    continue
  fi
  note="$(commit_note "$DIR/$folder" "$commit")"
  [[ -n "$note" ]] && echo "$name: $note" >&2
  # --exit-zero: findings are expected; any other non-zero exit is a crash or a usage error.
  result="$(timed "$folder")"
  status="${result##*$'\t'}"
  if [[ "$status" != 0 ]]; then
    echo "$name: paved exited $status (see $OUT/json/$folder.stderr)" >&2
    mv "$OUT/json/$folder.json" "$OUT/json/$folder.failed"
  fi
  printf '%s\t%s\n' "$folder" "$result" >> "$OUT/runs.tsv"
done < <(repos)

[[ $missing -gt 0 ]] && echo "$missing listed repositories missing; sampled the rest" >&2
# Folders that are not in the list are not linted: a review is of the listed commits.
listed="$(repos | cut -f1 | tr '/' '+')"
for folder in "$DIR"/*/; do
  folder="$(basename "$folder")"
  grep -qxF "$folder" <<< "$listed" || echo "not listed, not linted: $DIR/$folder" >&2
done
python3 "$REPO/bench/accuracy/report.py" "$OUT" "$DIR" --seed "$SEED" "${SAMPLE_ARGS[@]}"
