#!/usr/bin/env bash
# Cross-checks the text_generation writer against the REAL convert.py.
#
# Runs the opt-in real-data suite and the seeded writer property tests with HORDE_SYNC_TEXT_OUT
# set, so they keep every models.csv the writer produced (with its inputs and the port's db.json).
# Then runs the text repository's convert.py with python3 on each kept models.csv, in a fresh
# directory, and compares its db.json with the port's byte for byte.
#
# Usage: scripts/check-convert-against-python.sh   (HORDE_SYNC_DATA defaults to ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."

data="${HORDE_SYNC_DATA:-../shared/data}"
convert="$data/AI-Horde-text-model-reference/convert.py"
if [[ ! -f "$convert" ]]; then
  echo "no convert.py at $convert: set HORDE_SYNC_DATA to the snapshot folder" >&2
  exit 2
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

HORDE_SYNC_TEXT_OUT="$out" npx vitest run --config vitest.data.config.ts test/data/text-snapshots.data.test.ts >"$out/vitest-data.log" 2>&1 ||
  { cat "$out/vitest-data.log" >&2; exit 1; }
HORDE_SYNC_TEXT_OUT="$out" npx vitest run test/formats/text/write-text-generation.property.test.ts >"$out/vitest-unit.log" 2>&1 ||
  { cat "$out/vitest-unit.log" >&2; exit 1; }

checked=0
failed=0
for dir in "$out"/*/; do
  name="$(basename "$dir")"
  work="$(mktemp -d "$out/run.XXXXXX")"
  cp "$dir/models.csv" "$dir/defaults.json" "$dir/generation_params.json" "$convert" "$work/"
  # PYTHONUTF8: convert.py opens files without an encoding; on Windows that was cp1252 (mojibake).
  if ! (cd "$work" && env -u TESTS_ONGOING PYTHONUTF8=1 python3 convert.py >"$work/convert.log" 2>&1); then
    echo "FAIL $name: convert.py exited non-zero" >&2
    cat "$work/convert.log" >&2
    failed=$((failed + 1))
  elif cmp -s "$work/db.json" "$dir/db.json"; then
    checked=$((checked + 1))
  else
    echo "FAIL $name: convert.py's db.json differs from the writer's" >&2
    cmp "$work/db.json" "$dir/db.json" >&2 || true
    failed=$((failed + 1))
  fi
done

echo "convert.py ($(python3 --version 2>&1)) agrees byte for byte on $checked written models.csv files; $failed differ"
[[ $failed -eq 0 && $checked -gt 0 ]]
