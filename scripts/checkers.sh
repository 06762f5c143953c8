#!/usr/bin/env bash
# Installs the outside checkers the tests run, each once per machine into a cache directory (skipped when that
# version is already there): FerretDB (a server speaking MongoDB's protocol, built with Go) for the MongoDB
# adapter, and a Python venv with gixy-ng (nginx configuration analyser) and schemathesis (API fuzzer, with brotli).
# Sourced by setup.sh --test; the tests find both under the same directory (CINESTREAM_TOOLS_DIR).
set -euo pipefail

FERRETDB_VERSION="v1.24.2"
GIXY_VERSION="0.2.59"
SCHEMATHESIS_VERSION="4.32.5"
# Lets schemathesis read brotli-compressed answers (urllib3 decodes br only with it).
BROTLI_VERSION="1.2.1"
TOOLS_DIR="${CINESTREAM_TOOLS_DIR:-$HOME/.cache/cinestream/tools}"

ferretdb_dir="$TOOLS_DIR/ferretdb-$FERRETDB_VERSION"
if [ ! -x "$ferretdb_dir/ferretdb" ]; then
  go="$(command -v go || echo /usr/local/go/bin/go)"
  if [ ! -x "$go" ]; then
    say "Installing Debian's Go to build FerretDB with"
    apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
    [ "$(id -u)" -eq 0 ] || apt=(sudo "${apt[@]}")
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq --no-install-recommends golang-go >/dev/null
    go=/usr/bin/go
  fi
  say "Building FerretDB $FERRETDB_VERSION into $ferretdb_dir"
  # `go install …@version` builds a binary that refuses to start: the module leaves out the generated
  # build/version/version.txt. So: the module's source from the Go module proxy, that one file, go build.
  module="$("$go" mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  work="$(mktemp -d)"
  cp -R "$module/." "$work"
  chmod -R u+w "$work"
  echo "$FERRETDB_VERSION" >"$work/build/version/version.txt"
  mkdir -p "$ferretdb_dir"
  (cd "$work" && "$go" build -o "$ferretdb_dir/ferretdb.new" ./cmd/ferretdb)
  mv "$ferretdb_dir/ferretdb.new" "$ferretdb_dir/ferretdb"
  rm -rf "$work"
fi

venv="$TOOLS_DIR/python-checkers"
stamp="gixy-ng==$GIXY_VERSION schemathesis==$SCHEMATHESIS_VERSION brotli==$BROTLI_VERSION"
if [ "$(cat "$venv/installed" 2>/dev/null || true)" != "$stamp" ]; then
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    say "Installing Debian's Python venv support"
    apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
    [ "$(id -u)" -eq 0 ] || apt=(sudo "${apt[@]}")
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  say "Installing $stamp into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086 # the stamp is the list of requirements
  "$venv/bin/pip" install --quiet --disable-pip-version-check $stamp
  echo "$stamp" >"$venv/installed"
fi
