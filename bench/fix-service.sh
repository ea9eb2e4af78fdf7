#!/usr/bin/env bash
# The safe fix on a generated service: `paved new` a service, inject a drift that has a
# safe fix (`std::thread::sleep` in a handler: blocking-in-async), run `paved lint --fix`
# (safe fixes only), and check that the fix was applied, that the finding is gone and that
# `cargo check` of the service succeeds. Then the same drift in a copy whose tokio entry
# lacks the `time` feature: there the fix is unsafe, so `--fix` must leave the file alone.
# bench/fix-corpus.sh runs it after the corpus (whose code has no safe fix to apply).
#
# Usage: bench/fix-service.sh
#   PAVED              the paved binary (default: a release build of this checkout)
#   CARGO_TARGET_DIR   where `cargo check` of the service builds (default: a temp folder)
# Needs cargo and crates.io (the service's dependencies).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${PAVED:-}" ]]; then
  echo "building paved (release) ..." >&2
  cargo build --release --quiet --manifest-path "$REPO/Cargo.toml" --bin paved
  PAVED="${CARGO_TARGET_DIR:-$REPO/target}/release/paved"
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$TMP/target}"

fail() { echo "FAIL: $*" >&2; exit 1; }

"$PAVED" new demo --yes --vcs none --storage none --dest "$TMP/demo" > /dev/null
HANDLER="src/routes/notes.rs"
SLEEP='std::thread::sleep(std::time::Duration::from_millis(1));'
FIXED='tokio::time::sleep(std::time::Duration::from_millis(1)).await;'
# The drift: the first statement of the `get` handler sleeps the worker thread.
python3 - "$TMP/demo/$HANDLER" "$SLEEP" <<'PY'
import sys
path, sleep = sys.argv[1], sys.argv[2]
text = open(path).read()
head = "pub async fn get("
at = text.index("{\n", text.index(head)) + 2
open(path, "w").write(text[:at] + "    " + sleep + "\n" + text[at:])
PY
cp -r "$TMP/demo" "$TMP/no-time"

# findings DIR: the blocking-in-async findings of the handler, with their fix's applicability.
findings() {
  (cd "$1" && "$PAVED" lint --no-cache --select blocking-in-async --format json . || true) \
    | python3 -c 'import json,sys; print(" ".join((d["fix"] or {}).get("applicability", "none") for d in json.load(sys.stdin)["diagnostics"]))'
}

[[ "$(findings "$TMP/demo")" == "safe" ]] || fail "expected one blocking-in-async finding with a safe fix, got: $(findings "$TMP/demo")"
(cd "$TMP/demo" && "$PAVED" lint --no-cache --fix --quiet . > /dev/null 2> "$TMP/fix.err" || true)
grep -qF "$FIXED" "$TMP/demo/$HANDLER" || fail "--fix did not write \`$FIXED\` (stderr: $(cat "$TMP/fix.err"))"
[[ -z "$(findings "$TMP/demo")" ]] || fail "the finding is still there after --fix"
echo "service:    --fix applied the safe fix ($(grep -E '^fixed' "$TMP/fix.err" || echo 'no summary'))"
echo "checking the fixed service (cargo check) ..." >&2
if (cd "$TMP/demo" && cargo check --quiet > "$TMP/check.log" 2>&1); then
  echo "service:    cargo check succeeds after the safe fix"
else
  tail -20 "$TMP/check.log" >&2
  fail "the fixed service no longer checks"
fi

# Without tokio's `time` feature on the service's own entry the fix is unsafe.
sed -i 's/"signal", "time", "sync"/"signal", "sync"/' "$TMP/no-time/Cargo.toml"
grep -q '"signal", "sync"' "$TMP/no-time/Cargo.toml" || fail "could not remove tokio's time feature from the copy"
[[ "$(findings "$TMP/no-time")" == "unsafe" ]] || fail "without tokio's time the fix should be unsafe, got: $(findings "$TMP/no-time")"
(cd "$TMP/no-time" && "$PAVED" lint --no-cache --fix --quiet . > /dev/null 2>&1 || true)
grep -qF "$SLEEP" "$TMP/no-time/$HANDLER" || fail "--fix applied the sleep fix without tokio's time feature"
echo "no time:    the fix is unsafe without tokio's time feature, and --fix leaves it"
