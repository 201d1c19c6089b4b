#!/usr/bin/env bash
# Run a command with TEST_DATABASE_URL pointing at PostgreSQL.
# If TEST_DATABASE_URL is already set it is used as it is. Otherwise this
# installs Debian's postgresql when it is missing, starts a throwaway cluster
# on 127.0.0.1 in a temporary directory, and stops and removes it afterwards.
set -euo pipefail

if [ -n "${TEST_DATABASE_URL:-}" ]; then
    exec "$@"
fi

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

bin=$(pg_bin || true)
if [ -z "$bin" ]; then
    echo "with-postgres: installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
    bin=$(pg_bin)
fi

tmp=$(mktemp -d /tmp/fengqiao-pg.XXXXXX)
port=${FENGQIAO_TEST_PG_PORT:-55433}
run_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
cleanup() {
    run_pg "$bin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

run_pg "$bin/initdb" -D "$tmp/data" -U app --auth=trust -E UTF8 >/dev/null
run_pg "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off" start >/dev/null

export TEST_DATABASE_URL="postgres://app@127.0.0.1:$port/postgres"
export FENGQIAO_REQUIRE_POSTGRES=1
"$@"
