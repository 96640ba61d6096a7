#!/usr/bin/env bash
# The consumer check: what a host application outside the SDK's module path
# meets when it `go get`s the modules from a proxy, with no workspace and no
# replace directive to hide a wrong require.
#
#   bash scripts/consumer-check.sh
#
# 1. tools/modproxy writes a module proxy on disk holding the tree's modules
#    at their release versions (module zips, as the real proxy serves them);
# 2. a fresh copy of scripts/consumer/host (module example.com/host) gets
#    every provider module from that proxy (GOWORK=off, -mod=mod), is vetted,
#    built and run (one call per client against its fake, one signed
#    notification per module), and `go list -deps` of the program must show
#    no test-only package;
# 3. a levy-only host's module graph holds no test-only module, and the
#    host's tests run plain, with -trimpath, and vendored (-mod=vendor);
# 4. a callback-only service (scripts/consumer/receiver: levy/notify,
#    allinpay/notify, evidence/notify and scancode) builds, and `go list
#    -deps` of it shows no HTTP client library (resty, golang.org/x/net);
# 5. examples/levy/main.go, copied into a fresh module, builds.
# A failure prints one line saying why.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fail() { printf 'consumer check: %s\n' "$*" >&2; exit 1; }
step() { printf -- '--- consumer check: %s\n' "$*"; }

mods=(internal store levy allinpay evidence scancode cmd/bizapi)
sdk=github.com/bizapi-cn/go-sdk
ver() { sed -n 's/^const Version = "\(.*\)"/v\1/p' "$1/go_module_metadata.go"; }

step "module proxy from the tree"
if ! go run ./tools/modproxy -out "$work/proxy" "${mods[@]}" 2>"$work/modproxy.err"; then
  fail "$(grep -v '^exit status' "$work/modproxy.err" | head -1)"
fi

# A fresh module cache, so nothing from an earlier run (or the workspace)
# can stand in for what the proxy serves; third-party modules come from the
# machine's download cache when it has them, else from the usual proxy.
export GOWORK=off GOFLAGS=-mod=mod GONOSUMDB=$sdk GOPRIVATE= GOMODCACHE="$work/modcache"
export GOPROXY="file://$work/proxy,file://$(go env GOMODCACHE)/cache/download,$(go env GOPROXY)"

cp -r scripts/consumer/host "$work/host"
cd "$work/host"
gets=()
for m in "${mods[@]}"; do
  case $m in internal | cmd/*) ;; *) gets+=("$sdk/$m@$(ver "$root/$m")") ;; esac
done
step "go get ${gets[*]}"
go get "${gets[@]}" >"$work/get.log" 2>&1 || fail "go get: $(grep -m1 -E 'go: |invalid|unknown|cannot' "$work/get.log" || tail -1 "$work/get.log")"
go mod tidy >"$work/tidy.log" 2>&1 || fail "go mod tidy: $(tail -1 "$work/tidy.log")"

step "go vet, build and run the host program"
go vet ./... >"$work/vet.log" 2>&1 || fail "go vet: $(head -1 "$work/vet.log")"
go build -o "$work/hostbin" . >"$work/build.log" 2>&1 || fail "go build: $(head -1 "$work/build.log")"
"$work/hostbin" >"$work/run.log" 2>&1 || fail "the host program failed: $(tail -1 "$work/run.log")"
cat "$work/run.log"
bad=$(go list -deps . | grep -E '^(testing|github\.com/jarcoal/httpmock|github\.com/google/go-cmp)(/|$)' || true)
[ -z "$bad" ] || fail "the host program links test-only packages: $(echo $bad)"

step "a levy-only host's module graph holds no test-only module"
mkdir "$work/levyonly" && cd "$work/levyonly"
printf 'module example.com/levyonly\n\ngo 1.26.0\n' >go.mod
printf 'package main\n\nimport "%s/levy"\n\nfunc main() { _, _ = levy.NewClient() }\n' "$sdk" >main.go
go get "$sdk/levy@$(ver "$root/levy")" >"$work/levyonly.log" 2>&1 || fail "levy-only go get: $(tail -1 "$work/levyonly.log")"
graph=$(go mod graph | awk '{print $2}' | sed 's/@.*//' | sort -u)
bad=$(echo "$graph" | grep -E '^(github\.com/jarcoal/httpmock|github\.com/google/go-cmp|github\.com/bizapi-cn/go-sdk/(internal/testkit|store/sqlstore|store/redisstore))$' || true)
[ -z "$bad" ] || fail "a levy-only host's module graph holds test-only or unused modules: $(echo $bad)"
echo "$graph" | sed 's/^/  /'
cd "$work/host"

step "host tests: plain, -trimpath, vendored"
go test -count=1 ./... >"$work/test.log" 2>&1 || { cat "$work/test.log"; fail "go test failed"; }
go test -count=1 -trimpath ./... >"$work/test.log" 2>&1 || { cat "$work/test.log"; fail "go test -trimpath failed"; }
go mod vendor >"$work/vendor.log" 2>&1 || fail "go mod vendor: $(tail -1 "$work/vendor.log")"
go test -count=1 -mod=vendor ./... >"$work/test.log" 2>&1 || { cat "$work/test.log"; fail "go test -mod=vendor failed"; }
tail -1 "$work/test.log"

step "a callback-only service links no HTTP client library"
cp -r "$root/scripts/consumer/receiver" "$work/receiver" && cd "$work/receiver"
rgets=()
for m in levy allinpay evidence scancode; do rgets+=("$sdk/$m@$(ver "$root/$m")"); done
go get "${rgets[@]}" >"$work/receiver.log" 2>&1 || fail "receiver go get: $(tail -1 "$work/receiver.log")"
go mod tidy >"$work/receiver.log" 2>&1 || fail "receiver go mod tidy: $(tail -1 "$work/receiver.log")"
go vet ./... >"$work/receiver.log" 2>&1 || fail "receiver go vet: $(head -1 "$work/receiver.log")"
go build -o "$work/receiverbin" . >"$work/receiver.log" 2>&1 || fail "receiver go build: $(head -1 "$work/receiver.log")"
bad=$(go list -deps . | grep -E '^(github\.com/go-resty/resty|golang\.org/x/net|github\.com/bizapi-cn/go-sdk/internal/transport)(/|$)' || true)
[ -z "$bad" ] || fail "the callback-only service links an HTTP client library: $(echo $bad)"
rc=0
"$work/receiverbin" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "the callback-only service without configuration exited $rc, want 2"
echo "  receiver: $(go list -deps . | grep -c '^github\.com/bizapi-cn/') SDK packages, $(stat -c %s "$work/receiverbin") bytes, no resty or x/net"

step "examples/levy/main.go copied into a fresh module"
mkdir "$work/copied" && cp "$root/examples/levy/main.go" "$work/copied/" && cd "$work/copied"
go mod init example.com/copied >/dev/null 2>&1
go mod tidy >"$work/copied.log" 2>&1 || fail "the copied example does not resolve: $(grep -m1 -E 'go: |not allowed|cannot' "$work/copied.log" || tail -1 "$work/copied.log")"
go build -o /dev/null . >"$work/copied.log" 2>&1 || fail "the copied example does not build: $(head -1 "$work/copied.log")"

step "go install $sdk/cmd/bizapi@$(ver "$root/cmd/bizapi")"
GOBIN="$work/bin" go install "$sdk/cmd/bizapi@$(ver "$root/cmd/bizapi")" >"$work/install.log" 2>&1 ||
  fail "go install bizapi: $(grep -m1 -E 'go: |cannot|replace' "$work/install.log" || tail -1 "$work/install.log")"
"$work/bin/bizapi" help >/dev/null 2>&1 || fail "the installed bizapi does not run"

step "ok"
