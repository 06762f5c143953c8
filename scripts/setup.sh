#!/usr/bin/env bash
# Installs what CineStream needs on this machine: Node.js and pnpm (toolchain.sh), the workspace's
# packages, and with --test the Debian packages the browser tests use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh

if [ "${1:-}" = "--test" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Chromium for the browser tests (Debian packages)"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  fi
fi

say "Installing workspace packages"
pnpm install --frozen-lockfile --prefer-offline
