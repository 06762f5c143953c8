#!/usr/bin/env bash
# Installs what CineStream needs on this machine: Node.js and pnpm (toolchain.sh), the workspace's
# packages, and with --test the Debian packages the tests use and the outside checkers (checkers.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/toolchain.sh

if [ "${1:-}" = "--test" ]; then
  # Debian packages the tests use, only those missing: Chromium (browser tests), nginx (`nginx -t` and the local
  # nginx stack of cinectl's end-to-end tests), systemd (`systemd-analyze verify` / `security` on cinectl's units),
  # systemd-journal-remote (journal files for `cinectl logs` on a throwaway root),
  # pacman and makepkg (init-server's packages, installed into a throwaway root), sudo (`visudo -cf`), and
  # Let's Encrypt's test CA pebble with certbot, openssl and testssl.sh (set-domain / install-ssl end to end).
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ -x /usr/bin/systemd-analyze ] || missing+=(systemd)
  [ -x /lib/systemd/systemd-journal-remote ] || missing+=(systemd-journal-remote)
  [ -x /usr/bin/pacman ] || missing+=(pacman-package-manager)
  [ -x /usr/bin/makepkg ] || missing+=(makepkg fakeroot libarchive-tools)
  [ -x /usr/sbin/visudo ] || missing+=(sudo)
  [ -x /usr/bin/pebble ] || missing+=(pebble)
  [ -x /usr/bin/certbot ] || missing+=(certbot)
  [ -x /usr/bin/openssl ] || missing+=(openssl)
  [ -x /usr/bin/testssl ] || missing+=(testssl.sh)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "Installing Debian packages for the tests: ${missing[*]}"
    apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
    [ "$(id -u)" -eq 0 ] || apt=(sudo "${apt[@]}")
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  source scripts/checkers.sh
fi

say "Installing workspace packages"
pnpm install --frozen-lockfile --prefer-offline
