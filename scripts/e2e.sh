#!/usr/bin/env bash
# End-to-end tests: start the release binary on a fresh demo SQLite database
# on 127.0.0.1, wait until it is ready, run Playwright in Debian's headless
# Chromium, stop the server. Expects `make build` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=target/release/fengqiao
[ -x "$bin" ] || { echo "e2e: $bin is missing; run 'make build'" >&2; exit 1; }
[ -f target/site/pkg/fengqiao.wasm ] || { echo "e2e: the site is not built; run 'make build'" >&2; exit 1; }

port=${FENGQIAO_E2E_PORT:-3100}
tmp=$(mktemp -d /tmp/fengqiao-e2e.XXXXXX)
log="$tmp/server.log"
"$bin" serve --database-url "sqlite://$tmp/e2e.db" --addr "127.0.0.1:$port" --log-level warn >"$log" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# Bounded wait for readiness: at most 60 s.
ready=""
for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.5
done
if [ -z "$ready" ]; then
    echo "e2e: the server did not become ready; its log:" >&2
    cat "$log" >&2
    exit 1
fi

cd end2end
FENGQIAO_E2E_URL="http://127.0.0.1:$port" npx playwright test "$@" || {
    status=$?
    echo "e2e: failed; the server's log:" >&2
    cat "$log" >&2
    exit $status
}
