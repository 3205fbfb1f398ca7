#!/usr/bin/env bash
# Copies this checkout's tracked files (as they are in the work tree) into a fresh temporary directory
# that holds nothing else, and prints the copy's path on stdout. Run the tests there to prove that no
# file of the project reads anything beside the repository or a path of one machine.
#
#   scripts/ci/fresh-copy.sh              # node_modules: links to this checkout's installed packages
#   scripts/ci/fresh-copy.sh --install    # node_modules: a fresh `npm ci` in the copy
#   scripts/ci/fresh-copy.sh --rev HEAD   # the files of a commit instead of the work tree
#
# Linking needs `npm ci` done here first. Every top-level package is a symlink into this checkout's
# node_modules except the workspace packages (@copilot-rx/*), which point at the copy's own packages/,
# so the copy runs its own sources. Progress goes to stderr; stdout is only the path.
set -euo pipefail

mode=link
rev=''
while [ $# -gt 0 ]; do
  case "$1" in
    --install) mode=install ;;
    --rev)
      [ $# -ge 2 ] || { echo "fresh-copy.sh: --rev needs a commit" >&2; exit 2; }
      rev="$2"
      shift
      ;;
    *) echo "fresh-copy.sh: unknown argument '$1' (expected --install or --rev COMMIT)" >&2; exit 2 ;;
  esac
  shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
parent="$(mktemp -d "${TMPDIR:-/tmp}/copilot-rx-fresh.XXXXXX")"
copy="$parent/copilot-rx"
mkdir "$copy"

if [ -n "$rev" ]; then
  git -C "$root" archive --format=tar "$rev" | tar -xf - -C "$copy"
else
  # Tracked files only (a clone has nothing else); a tracked file deleted in the work tree is left out.
  (
    cd "$root"
    git ls-files -z --cached | while IFS= read -r -d '' file; do
      if [ -e "$file" ] || [ -L "$file" ]; then printf '%s\0' "$file"; fi
    done | tar --null --files-from=- -cf -
  ) | tar -xf - -C "$copy"
fi

if [ "$mode" = install ]; then
  (cd "$copy" && npm ci --no-audit --no-fund --prefer-offline >&2)
else
  if [ ! -d "$root/node_modules" ]; then
    echo "fresh-copy.sh: $root/node_modules is missing; run npm ci there first, or pass --install" >&2
    exit 1
  fi
  mkdir "$copy/node_modules"
  for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
    name="$(basename "$entry")"
    [ "$name" = '@copilot-rx' ] && continue
    ln -s "$entry" "$copy/node_modules/$name"
  done
  # The workspaces, as npm links them: relative links into the copy's own packages/.
  mkdir "$copy/node_modules/@copilot-rx"
  for pkg in "$copy"/packages/*/; do
    name="$(node -p "require('$pkg/package.json').name" 2>/dev/null || true)"
    case "$name" in
      @copilot-rx/*) ln -s "../../packages/$(basename "$pkg")" "$copy/node_modules/$name" ;;
    esac
  done
fi

echo "$copy"
