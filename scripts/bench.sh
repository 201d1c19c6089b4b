#!/usr/bin/env bash
# make bench: build the release server and the bench tool, write a SQLite
# database of BENCH_CASES (default 1,000,000) generated cases into
# bench/data/, time the sweeper over it, then start the server on
# 127.0.0.1:3200 and measure it over HTTP. The figures go to
# bench/results.md. Benchmarks report; they never fail the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

cases=${BENCH_CASES:-1000000}
port=${FENGQIAO_BENCH_PORT:-3200}
data=bench/data
db="sqlite://$PWD/$data/bench.db"
bin=target/release/fengqiao
tool=target/release/fengqiao-bench

cargo build --release --locked -p bench
mkdir -p "$data"
rm -f "$data"/bench.db* "$data"/match.key
# The seeded cases' match keys are made with the key the server then uses.
export FENGQIAO_MATCH_KEY_FILE="$data/match.key"
"$bin" seed-demo --database-url "$db" --log-level warn
"$tool" seed "$db" "$cases"
"$tool" sweep "$db" "$data/sweep.txt"

# As deployed (README, "Deploying"): two malloc arenas and a fixed mmap
# threshold keep the resident memory down.
# The load comes from one user on one address at hundreds of requests a
# second: the rate limit still counts every request, but must not refuse.
MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 "$bin" serve --database-url "$db" --addr "127.0.0.1:$port" --demo \
    --api-rate-limit 1000000000 --login-rate-limit 1000000 \
    --files-dir "$data/files" --log-level warn >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
ready=""
for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.5
done
[ -n "$ready" ] || { echo "bench: the server did not start; its log:" >&2; cat "$data/server.log" >&2; exit 1; }

"$tool" load "127.0.0.1:$port" "$server" "$data/sweep.txt" "$cases" bench/results.md

# The intake form on a slow link, cold, timed in headless Chromium
# (end2end/tests/slow.spec.ts) against this server.
./scripts/install-tools.sh --e2e
rm -f "$data/slow.json"
if (cd end2end && FENGQIAO_E2E_URL="http://127.0.0.1:$port" FENGQIAO_SLOW_REPORT="$PWD/../$data/slow.json" \
    npx playwright test tests/slow.spec.ts --workers 1); then
    "$tool" slow "$data/slow.json" bench/results.md
else
    echo "bench: the slow-link measurement failed; bench/results.md has the rest" >&2
fi
cat bench/results.md
