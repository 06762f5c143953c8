#!/usr/bin/env bash
# Makes sure this machine has the Node.js and pnpm the project needs, from the npm registry only.
# Sourced by setup.sh; safe to run again (does nothing when both are already there).
set -euo pipefail

NODE_VERSION="24.21.0" # the Node.js installed when the machine has none >= NODE_MIN
NODE_MIN="22.13.0"     # first release with node:sqlite unflagged
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../package.json")"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

version_at_least() { # version_at_least HAVE WANT
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

if [ "$(id -u)" -eq 0 ]; then PREFIX=/usr/local; else PREFIX="$HOME/.local"; fi
export PATH="$PREFIX/bin:$PATH"

have_node="$(node --version 2>/dev/null | sed 's/^v//' || true)"
if [ -z "$have_node" ] || ! version_at_least "$have_node" "$NODE_MIN"; then
  say "Installing Node.js $NODE_VERSION into $PREFIX (found: ${have_node:-none}, need >= $NODE_MIN)"
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "Unsupported CPU $(uname -m): install Node.js >= $NODE_MIN yourself" >&2; exit 1 ;;
  esac
  if ! command -v npm >/dev/null 2>&1; then
    # npm fetches Node.js from the npm registry; a machine without any Node.js gets Debian's npm for that.
    say "Installing Debian's npm to fetch Node.js with"
    apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
    [ "$(id -u)" -eq 0 ] || apt=(sudo "${apt[@]}")
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq --no-install-recommends npm >/dev/null
  fi
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null)
  mkdir -p "$PREFIX/lib/node-$NODE_VERSION" "$PREFIX/bin"
  tar -xzf "$work"/node-linux-*.tgz -C "$PREFIX/lib/node-$NODE_VERSION" --strip-components=1
  ln -sfn "$PREFIX/lib/node-$NODE_VERSION/bin/node" "$PREFIX/bin/node"
  rm -rf "$work"
  hash -r
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  say "Installing pnpm $PNPM_VERSION into $PREFIX"
  npm install --global --silent --prefix "$PREFIX" "pnpm@$PNPM_VERSION" >/dev/null
  hash -r
fi

say "Node.js $(node --version), pnpm $(pnpm --version)"
