#!/usr/bin/env bash
# Installs what CineStream needs on this machine: Node.js and pnpm (toolchain.sh), the workspace's
# packages, and with --test the Debian packages the tests use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh

if [ "${1:-}" = "--test" ]; then
  # Debian packages the tests use, only those missing: Chromium (browser tests), nginx (`nginx -t` and the local
  # nginx stack of cinectl's end-to-end tests), systemd (`systemd-analyze verify` / `security` on cinectl's units).
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ -x /usr/bin/systemd-analyze ] || missing+=(systemd)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "Installing Debian packages for the tests: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

say "Installing workspace packages"
pnpm install --frozen-lockfile --prefer-offline
