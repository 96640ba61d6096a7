#!/usr/bin/env bash
# The long fuzzing campaign (RELIABILITY.md): every fuzz target in the
# workspace for a while (default 5m each), one at a time, and a table of
# the executions each reached:
#   bash scripts/fuzz-campaign.sh [fuzztime] [report.md]
# A crasher is written to the package's testdata/fuzz/FuzzXxx/ and the run
# stops: commit it with the fix. Inputs the fuzzer found interesting stay
# in Go's cache ($(go env GOCACHE)/fuzz); the smallest few per target are
# copied into testdata/fuzz/FuzzXxx/ as seed corpus.
# FUZZ_SKIP is a regexp of "dir FuzzTarget" to leave out (to resume a
# campaign), e.g. FUZZ_SKIP="evidence FuzzUnzip|levy FuzzResponse";
# FUZZ_APPEND=1 adds rows to an existing report. FUZZ_FLAGS go to go test,
# e.g. FUZZ_FLAGS="-fuzzminimizetime 10x" where each run is slow (SM2):
# minimizing a new input otherwise takes up to a minute of the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-5m}
report=${2:-/dev/stdout}
keep=${FUZZ_KEEP:-8}
cache=$(go env GOCACHE)/fuzz
if [ "${FUZZ_APPEND:-0}" != 1 ]; then
  {
    echo "| package | target | fuzz time | executions | new interesting | seed corpus kept |"
    echo "|---|---|---|---|---|---|"
  } >"$report"
fi
while IFS= read -r file; do
  dir=$(dirname "$file")
  pkg=$(cd "$dir" && go list .)
  for target in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$file" | awk '{print $2}'); do
    if [ -n "${FUZZ_SKIP:-}" ] && grep -qE "^(${FUZZ_SKIP})\$" <<<"$dir $target"; then
      continue
    fi
    echo "fuzz-campaign: $dir $target ($fuzztime)" >&2
    log=$(mktemp)
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel "${FUZZ_PARALLEL:-1}" ${FUZZ_FLAGS:-} "./$dir" >"$log" 2>&1; then
      if ! grep -q "testdata/fuzz" "$log" && grep -q "context deadline exceeded" "$log"; then
        echo "fuzz-campaign: $target: fuzzer timing flake at the deadline (no failing input)" >&2
      else
        cat "$log" >&2; rm -f "$log"; exit 1
      fi
    fi
    last=$(grep -E 'execs: [0-9]+' "$log" | tail -1)
    execs=$(sed -E 's/.*execs: ([0-9]+).*/\1/' <<<"$last")
    interesting=$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$last")
    rm -f "$log"
    kept=0
    src="$cache/$pkg/$target"
    if [ -d "$src" ]; then
      mkdir -p "$dir/testdata/fuzz/$target"
      for f in $(ls -S -r "$src" | head -n "$keep"); do
        cp "$src/$f" "$dir/testdata/fuzz/$target/$f"
        kept=$((kept + 1))
      done
    fi
    echo "| $pkg | $target | $fuzztime | ${execs:-?} | ${interesting:-?} | $kept |" >>"$report"
  done
done < <(git ls-files '*_test.go' | xargs grep -l '^func Fuzz' || true)
