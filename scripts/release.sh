#!/usr/bin/env bash
# Cuts a release of one module: checks it, then (with --do) tags it.
#
#   bash scripts/release.sh MODULE vX.Y.Z        # dry run: check only
#   bash scripts/release.sh MODULE vX.Y.Z --do   # check, then tag MODULE/vX.Y.Z
#
# Checks, each failing with one line:
# - the tag form MODULE/vX.Y.Z, not tagged yet, and the module's
#   go_module_metadata.go Version saying X.Y.Z;
# - a CHANGELOG.md heading for the version ("## vX.Y.Z" or "## X.Y.Z");
# - the order: every SDK module it requires is already tagged at the
#   required version (internal and store first);
# - the module, with its replace directives dropped, builds and passes its
#   tests against the required SDK modules as published: served from a
#   module proxy made of the tagged trees (tools/modproxy), not from ../.
# Pushing the tag is left to the person releasing: `git push origin TAG`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
fail() { printf 'release: %s\n' "$*" >&2; exit 1; }

[ $# -ge 2 ] || fail "usage: scripts/release.sh MODULE vX.Y.Z [--do]"
mod=$1 version=$2 do=${3:-}
sdk=github.com/bizapi-cn/go-sdk
[ -f "$mod/go.mod" ] || fail "$mod is not a module folder"
[ "$(sed -n 's/^module //p' "$mod/go.mod")" = "$sdk/$mod" ] || fail "$mod/go.mod does not declare $sdk/$mod"
[[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version $version is not vX.Y.Z"
[ "$mod" != examples ] && [ "$mod" != tools ] && [ "$mod" != bench ] || fail "$mod is never tagged"
tag="$mod/$version"
if git rev-parse -q --verify "refs/tags/$tag" >/dev/null; then fail "$tag exists already"; fi
meta=$(sed -n 's/^const Version = "\(.*\)"/v\1/p' "$mod/go_module_metadata.go" 2>/dev/null || true)
[ "$meta" = "$version" ] || fail "$mod/go_module_metadata.go says Version ${meta:-(none)}, not $version"
grep -qE "^## \[?v?${version#v}\]?( |$)" "$mod/CHANGELOG.md" 2>/dev/null || fail "$mod/CHANGELOG.md has no heading for $version (rename Unreleased)"
if [ -n "$(git status --porcelain -- "$mod")" ]; then fail "$mod has uncommitted changes"; fi

work=$(mktemp -d)
mkdir -p "$work/proxy"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"; git -C "$root" worktree prune' EXIT

# The order, and a proxy of the published dependencies.
deps=()
while read -r path v; do
  dep=${path#"$sdk/"}
  dtag="$dep/$v"
  git rev-parse -q --verify "refs/tags/$dtag" >/dev/null || fail "$mod requires $path@$v: tag $dtag first"
  git worktree add -q --detach "$work/src-$dep" "$dtag"
  (cd "$root" && go run ./tools/modproxy -out "$work/proxy" -root "$work/src-$dep" -version "$dep=$v" "$dep") || fail "cannot serve $dtag"
  deps+=("$dtag")
done < <(cd "$mod" && GOWORK=off go mod edit -json | python3 -c '
import json, sys
m = json.load(sys.stdin)
for r in m.get("Require") or []:
    if r["Path"].startswith("github.com/bizapi-cn/go-sdk/"):
        print(r["Path"], r["Version"])')

# The module as a consumer's build would see it: no replace, no workspace.
cp -r "$mod" "$work/mod"
cd "$work/mod"
for r in $(GOWORK=off go mod edit -json | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []: print(r["Old"]["Path"])'); do
  go mod edit -dropreplace="$r"
done
export GOWORK=off GOFLAGS=-mod=mod GONOSUMDB=$sdk GOMODCACHE="$work/modcache"
export GOPROXY="file://$work/proxy,file://$(cd "$root" && go env GOMODCACHE)/cache/download,$(go env GOPROXY)"
go build ./... || fail "$mod does not build against ${deps[*]:-its requirements}"
go test -count=1 ./... >"$work/test.log" 2>&1 || { tail -20 "$work/test.log"; fail "$mod's tests fail against ${deps[*]:-its requirements}"; }
echo "release: $tag is ready (built and tested against ${deps[*]:-no SDK module})"

if [ "$do" = --do ]; then
  cd "$root"
  git tag -a "$tag" -m "$mod $version"
  echo "release: tagged $tag; push it with: git push origin $tag"
else
  echo "release: dry run; run again with --do to tag"
fi
