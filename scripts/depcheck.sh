#!/usr/bin/env bash
# What each module links, checked with go list -deps (non-test packages):
# - levy and allinpay use no national crypto: no github.com/tjfoc/gmsm;
# - scancode and the shared callback path make no HTTP call: neither resty
#   nor golang.org/x/net (the standard library's vendored copy aside).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
forbid() { # package pattern description
  local pkg=$1 re=$2 what=$3
  local hits
  hits=$(go list -deps "$pkg" | grep -E "$re" | tr '\n' ' ' || true)
  if [ -n "$hits" ]; then
    echo "depcheck: $pkg links $what: $hits"
    status=1
  fi
}
forbid ./levy '^github\.com/tjfoc/gmsm' "national crypto it does not use"
forbid ./allinpay '^github\.com/tjfoc/gmsm' "national crypto it does not use"
forbid ./scancode '^(github\.com/go-resty/resty|golang\.org/x/net)' "an HTTP client library"
forbid ./internal/callback '^(github\.com/go-resty/resty|golang\.org/x/net)' "an HTTP client library"
forbid ./evidence/notify '^(github\.com/go-resty/resty|golang\.org/x/net)' "an HTTP client library"
[ $status -eq 0 ] && echo "depcheck: levy and allinpay link no gmsm; scancode and the callback path link no HTTP client library"
exit $status
