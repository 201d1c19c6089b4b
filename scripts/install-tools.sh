#!/usr/bin/env bash
# Install what building the site needs, each piece only when the right version is
# missing (see ../shared/toolchain.md for why these versions):
#   - the wasm32-unknown-unknown Rust target
#   - cargo-leptos 0.3.10 with `no_downloads` (0.3.11 needs a newer rustc)
#   - wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock
#   - wasm-opt from binaryen 132 on npm (Debian's binaryen 108 breaks hydration)
# With `--e2e` also Debian's Chromium, the end-to-end suite's npm packages and
# a Python virtual environment with the stock Open311 client (georeport).
# Idempotent: a second run checks versions and returns in a second.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "install-tools: $*" >&2; }

CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, "", $0); print; exit }' Cargo.lock)
[ -n "$WASM_BINDGEN_VERSION" ] || { say "no wasm-bindgen in Cargo.lock"; exit 1; }

export PATH="$HOME/.cargo/bin:$PATH"

apt_updated=""
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    if [ -z "$apt_updated" ]; then $sudo apt-get update -qq >/dev/null; apt_updated=1; fi
    $sudo apt-get install -y -qq "$@" >/dev/null
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 22 minutes on 2 cores, once)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\b"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 7 minutes, once)"
    # Not --locked: its lock file names a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION\b"; then
    command -v npm >/dev/null || apt_install nodejs npm
    say "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
    npm install -g --silent "binaryen@$BINARYEN_VERSION.0.0" >/dev/null
fi

if [ "${1:-}" = "--e2e" ]; then
    if ! command -v chromium >/dev/null; then
        say "installing Debian's chromium"
        apt_install chromium
    fi
    command -v npm >/dev/null || apt_install nodejs npm
    # A stock Open311 client (PyPI's georeport) for tests/open311.spec.ts.
    if ! end2end/.venv/bin/python -c "import georeport" 2>/dev/null; then
        command -v python3 >/dev/null || apt_install python3 python3-venv
        say "installing the stock Open311 client (georeport, from PyPI)"
        rm -rf end2end/.venv
        python3 -m venv end2end/.venv || { apt_install python3-venv; python3 -m venv end2end/.venv; }
        end2end/.venv/bin/pip install --quiet --disable-pip-version-check -r end2end/requirements.txt
    fi
    if [ ! -d end2end/node_modules/@playwright/test ] \
        || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
        say "installing the end-to-end suite's npm packages"
        (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
    fi
fi
