#!/usr/bin/env bash
# Runs the benchmark suite (-count 6, -cpu 1,2 for scaling) and prints each
# figure as a ratio to its floor; raw output is kept in bench.out.
#   bash scripts/bench.sh [go test -bench regexp]
set -euo pipefail
cd "$(dirname "$0")/.."
pattern=${1:-.}
mods=$(go list -m -f '{{.Dir}}' | sed "s#^$PWD/##")
pkgs=()
for m in $mods; do pkgs+=("./$m/..."); done
go test -run '^$' -bench "$pattern" -benchmem -count 6 -cpu 1,2 "${pkgs[@]}" | tee bench.out
echo
go run ./bench/cmd/ratios < bench.out
