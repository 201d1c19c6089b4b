#!/usr/bin/env bash
# End-to-end tests: start the release binary on a fresh demo SQLite database
# on 127.0.0.1, wait until it is ready, run Playwright in Debian's headless
# Chromium, stop the server. Expects `make build` to have run.
#
# The clock test (tests/clock.spec.ts) moves the server's time forward, so
# it gets a server of its own, started with --test-clock. Release builds
# have no such flag: it exists only with the server's `test-clock` feature,
# so this script builds that binary too (target/release/fengqiao-test-clock)
# and keeps the release one as it was. With arguments, they are passed to
# Playwright; the clock server runs only if they name clock.spec.ts.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=target/release/fengqiao
[ -x "$bin" ] || { echo "e2e: $bin is missing; run 'make build'" >&2; exit 1; }
compgen -G "target/site/pkg/fengqiao*.wasm" >/dev/null || { echo "e2e: the site is not built; run 'make build'" >&2; exit 1; }

tmp=$(mktemp -d /tmp/fengqiao-e2e.XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
    rm -rf "$tmp"
}
trap cleanup EXIT

# start NAME PORT [serve flags...]: a server on a fresh database; waits (at
# most 60 s) until it is ready.
start() {
    local name=$1 port=$2
    shift 2
    log="$tmp/$name.log"
    "${exe:-$bin}" serve --database-url "sqlite://$tmp/$name.db" --addr "127.0.0.1:$port" \
        --files-dir "$tmp/$name-files" --log-level warn --demo "$@" >"$log" 2>&1 &
    server=$!
    for _ in $(seq 1 120); do
        if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then return 0; fi
        kill -0 "$server" 2>/dev/null || break
        sleep 0.5
    done
    echo "e2e: the $name server did not become ready; its log:" >&2
    cat "$log" >&2
    exit 1
}

stop() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
}

# run PORT [playwright args...]
run() {
    local port=$1
    shift
    (cd end2end && FENGQIAO_E2E_URL="http://127.0.0.1:$port" npx playwright test "$@") || {
        status=$?
        echo "e2e: failed; the server's log:" >&2
        cat "$log" >&2
        exit $status
    }
}

# The release binary with the test clock: cargo-leptos builds the same
# binary with the feature; the release one is put back afterwards (cargo
# keeps both builds, so each later run only copies).
build_clock() {
    cp -p "$bin" "$tmp/fengqiao.release"
    cargo leptos build --release --precompress --bin-features test-clock >"$tmp/clock-build.log" 2>&1 || {
        cat "$tmp/clock-build.log" >&2
        exit 1
    }
    ./scripts/gzip-site.sh
    cp -p "$bin" target/release/fengqiao-test-clock
    cp -p "$tmp/fengqiao.release" "$bin"
    bin_clock=target/release/fengqiao-test-clock
}

port=${FENGQIAO_E2E_PORT:-3100}
clock_port=$((port + 1))
if [ $# -eq 0 ]; then
    start main "$port"
    run "$port"
    stop
    build_clock
    exe=$bin_clock start clock "$clock_port" --test-clock
    FENGQIAO_E2E_CLOCK=1 run "$clock_port" tests/clock.spec.ts
    stop
elif [[ "$*" == *clock* ]]; then
    build_clock
    exe=$bin_clock start clock "$clock_port" --test-clock
    FENGQIAO_E2E_CLOCK=1 run "$clock_port" "$@"
    stop
else
    start main "$port"
    run "$port" "$@"
    stop
fi
