#!/usr/bin/env bash
# Rewrite the gzip copy beside each file of the built site with gzip -9.
# cargo-leptos's --precompress makes the brotli and gzip copies, but its gzip
# (libflate) leaves the WebAssembly a sixth larger than gzip -9 does, and a
# browser that takes no brotli (plain http, older WebViews) gets the gzip one.
set -euo pipefail
cd "$(dirname "$0")/.."
find target/site -type f ! -name '*.gz' ! -name '*.br' -print0 | xargs -0 -r gzip -9 -k -f -n
