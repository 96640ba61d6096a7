#!/usr/bin/env bash
# The figures README and CONTRIBUTING quote for a host application, measured
# (never asserted in a test):
# - the time of `go get` + `go build` for a levy-only host from a cold
#   module cache and a cold build cache (the SDK from a proxy made of the
#   tree, everything else from the usual proxy);
# - the size each module adds to a plain net/http program.
#   bash scripts/figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
sdk=github.com/bizapi-cn/go-sdk
go run ./tools/modproxy -out "$work/proxy" internal store levy allinpay evidence scancode
ver() { sed -n 's/^const Version = "\(.*\)"/v\1/p' "$root/$1/go_module_metadata.go"; }
export GOWORK=off GOFLAGS=-mod=mod GONOSUMDB=$sdk GOPROXY="file://$work/proxy,$(go env GOPROXY)"

host() { # dir import-or-empty use-statement
  mkdir -p "$1"
  cat >"$1/main.go" <<GO
package main

import (
	"fmt"
	"net/http"
	$2
)

func main() {
	$3
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	_ = http.ListenAndServe("127.0.0.1:0", nil)
}
GO
  (cd "$1" && go mod init example.com/host >/dev/null 2>&1)
}

echo "levy-only host, cold module and build caches:"
host "$work/levyhost" "\"$sdk/levy\"" "_, _ = levy.NewClient()"
start=$(date +%s.%N)
(cd "$work/levyhost" && GOMODCACHE="$work/modcache" GOCACHE="$work/gocache" go get "$sdk/levy@$(ver levy)" >/dev/null 2>&1 &&
  GOMODCACHE="$work/modcache" GOCACHE="$work/gocache" go build -o "$work/levyhost.bin" .)
end=$(date +%s.%N)
printf '  go get + go build: %.1f s; modules downloaded: %s\n' "$(echo "$end - $start" | bc)" \
  "$(cd "$work/levyhost" && GOMODCACHE="$work/modcache" go list -m all | wc -l)"

echo "size each module adds to a plain net/http program (go build, default flags):"
host "$work/plain" "" ""
(cd "$work/plain" && go build -o "$work/plain.bin" .)
base=$(stat -c %s "$work/plain.bin")
printf '  %-10s %8.2f MB\n' "net/http" "$(echo "$base/1000000" | bc -l)"
for m in levy allinpay evidence scancode; do
  case $m in
    scancode) use="_, _ = scancode.NewDecrypter(scancode.DecrypterConfig{})" ;;
    *) use="_, _ = $m.NewClient()" ;;
  esac
  host "$work/$m" "\"$sdk/$m\"" "$use"
  (cd "$work/$m" && go get "$sdk/$m@$(ver "$m")" >/dev/null 2>&1 && go build -o "$work/$m.bin" .)
  size=$(stat -c %s "$work/$m.bin")
  printf '  %-10s +%7.2f MB\n' "$m" "$(echo "($size-$base)/1000000" | bc -l)"
done
