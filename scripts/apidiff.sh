#!/usr/bin/env bash
# internal's exported API only grows across tags (CONTRIBUTING): compares
# the newest internal/v* tag with the tree using apidiff and fails on an
# incompatible change. Without a tag there is nothing to compare.
#
#   bash scripts/apidiff.sh [MODULE]     # default: internal
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mod=${1:-internal}
sdk=github.com/bizapi-cn/go-sdk
apidiff_version=v0.0.0-20261113113407-e3970619a1a4 # golang.org/x/exp

tag=$(git tag -l "$mod/v*" --sort=-v:refname | head -1)
if [ -z "$tag" ]; then
  echo "apidiff: no $mod/v* tag yet; nothing to compare"
  exit 0
fi
work=$(mktemp -d)
trap 'git worktree remove --force "$work/old" 2>/dev/null || true; rm -rf "$work"' EXIT
GOBIN="$work/bin" GOWORK=off GOFLAGS=-mod=mod go install "golang.org/x/exp/cmd/apidiff@$apidiff_version"
git worktree add -q --detach "$work/old" "$tag"
# Each side is read inside its own workspace, so the replace directives
# resolve against the tree of the same commit.
(cd "$work/old/$mod" && "$work/bin/apidiff" -m -w "$work/old.api" "$sdk/$mod")
(cd "$root/$mod" && "$work/bin/apidiff" -m -w "$work/new.api" "$sdk/$mod")
report=$("$work/bin/apidiff" -m -incompatible "$work/old.api" "$work/new.api")
if [ -n "$report" ]; then
  echo "apidiff: $mod's exported API changed incompatibly since $tag:"
  echo "$report"
  exit 1
fi
echo "apidiff: $mod is compatible with $tag"
