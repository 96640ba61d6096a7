#!/usr/bin/env bash
# Fails when the public docs of a provider package or its fake name a type
# of the internal module: a host outside the SDK cannot name such a type,
# so an option, field or error that uses one cannot be used.
set -euo pipefail
cd "$(dirname "$0")/.."
# The internal module's package names, and each provider module's own
# internal packages (M/internal/..., the seam between M and M/notify).
internal=$( (
  (cd internal && go list ./...)
  for m in levy allinpay evidence scancode; do (cd "$m" && go list ./... | grep '/internal/' || true); done
) | sed 's#.*/##' | sort -u | paste -sd'|')
status=0
for p in levy levy/levytest levy/notify allinpay allinpay/allinpaytest allinpay/notify evidence evidence/evidencetest evidence/notify scancode scancode/scancodetest; do
  [ -d "$p" ] || continue
  mod=${p%%/*}
  leak=$(cd "$mod" && go doc -all "./${p#"$mod"}" 2>/dev/null | grep -E -o "\\b($internal)\\.[A-Z][A-Za-z0-9]*" | sort -u | tr '\n' ' ' || true)
  if [ -n "$leak" ]; then
    echo "apicheck: $p's public docs name internal types: $leak"
    status=1
  fi
done
[ $status -eq 0 ] && echo "apicheck: no internal type in the public API"
exit $status
