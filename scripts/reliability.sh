#!/usr/bin/env bash
# Runs the reliability tests (RELIABILITY.md) with -race and prints the
# figures they report:
#   bash scripts/reliability.sh                     # 500 notifications per module, as in CI
#   RELIABILITY_LONG=1 bash scripts/reliability.sh  # 10,000 per module
# The full -v output is kept in reliability.out.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -race -count=1 -v -timeout 60m -run 'Reliability|NoSecrets' \
  ./internal/testkit/levy/ ./internal/testkit/allinpay/ ./internal/testkit/evidence/ ./internal/testkit/scancode/ ./examples/internal/flow/ >reliability.out 2>&1 || {
  grep -E -- '--- FAIL|FAIL|panic' reliability.out || true
  echo "reliability: tests failed; see reliability.out" >&2
  exit 1
}
grep -E '^\s+\S+_test\.go:[0-9]+: (levy|allinpay|evidence|scancode|secrets):' reliability.out | sed -E 's/^\s+\S+_test\.go:[0-9]+: //'
