#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite: installs what the tests need, then runs `pnpm test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh --test
source scripts/toolchain.sh >/dev/null
exec pnpm test "$@"
