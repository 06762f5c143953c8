#!/usr/bin/env bash
# One command from a fresh clone to the site on http://localhost:8001/ (embedded store, sample data).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
source scripts/toolchain.sh >/dev/null
say "Preparing the database"
pnpm --filter @cinestream/web db:init
say "Starting CineStream on http://localhost:${PORT:-8001}${BASE_PATH:-}/ (Ctrl+C stops it)"
exec pnpm start # builds, then serves
