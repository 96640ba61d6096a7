#!/usr/bin/env bash
# Runs the tests of every module in the workspace, with the race detector
# when a C compiler is available (the race runtime needs cgo).
#   bash scripts/test.sh [extra go test flags]
set -euo pipefail
cd "$(dirname "$0")/.."

mods=$(go list -m -f '{{.Dir}}' | sed "s#^$PWD/##")
pkgs=()
for m in $mods; do pkgs+=("./$m/..."); done

race=()
if [ "$(go env CGO_ENABLED)" = "1" ] && command -v "$(go env CC)" >/dev/null 2>&1; then
  race=(-race)
else
  echo "scripts/test.sh: no C compiler; running without -race" >&2
fi
go test "${race[@]}" -count=1 -timeout 15m "$@" "${pkgs[@]}"
