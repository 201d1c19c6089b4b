# Fengqiao: see README.md. `make run` and `make test` are the two commands;
# `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

# CI builds once from a clean clone: incremental caches only cost disk there.
ifdef CI
export CARGO_INCREMENTAL := 0
endif

# The host build never includes `frontend` (the WebAssembly entry point):
# building it beside `server` would unify `app/hydrate` with `app/ssr`.
HOST := --workspace --exclude frontend

.PHONY: run build tools test fmt-check clippy test-rust ci-free-disk test-sqlite e2e bench check fmt

## Install what is missing, build, and serve http://127.0.0.1:3000 on
## data/fengqiao.db (demo data loaded into an empty database).
run: build
	MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 ./target/release/fengqiao serve --demo

## The release binary, its hash.txt and the site (target/site: files named by
## content, each beside its brotli and gzip copy), so that
## `./target/release/fengqiao serve` works from the repository root.
build: tools
	cargo leptos build --release --precompress
	./scripts/gzip-site.sh

tools:
	./scripts/install-tools.sh

## Everything: formatting, lints, all Rust tests on SQLite and PostgreSQL,
## and the end-to-end suite in headless Chromium.
test: fmt-check clippy test-rust ci-free-disk e2e

## CI only, between the Rust tests and the release build: the debug and
## check builds (over 10 GB) are not needed again, and a CI disk that
## fills up fails the release build half an hour in.
ci-free-disk:
ifdef CI
	rm -rf target/debug target/wasm32-unknown-unknown
	df -h . | tail -1
endif

fmt-check:
	$(CARGO) fmt --all -- --check

clippy: tools
	$(CARGO) clippy $(HOST) --all-targets --locked -- -D warnings
	$(CARGO) clippy -p server --features test-clock --all-targets --locked -- -D warnings
	$(CARGO) clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings

## All Rust tests, each storage and HTTP test on SQLite and on a throwaway PostgreSQL.
test-rust:
	./scripts/with-postgres.sh $(CARGO) test $(HOST) --locked
	$(CARGO) test -p server --features test-clock --lib --locked

## Quick loop while working: SQLite only.
test-sqlite:
	$(CARGO) test $(HOST)

## The end-to-end suite against the release binary on a fresh demo database.
e2e: build
	./scripts/install-tools.sh --e2e
	./scripts/e2e.sh

## Measure the release server on a database of a million cases (BENCH_CASES);
## writes bench/results.md. Reports only: never part of `make test`.
bench: build
	./scripts/bench.sh

check:
	$(CARGO) check $(HOST) --all-targets

fmt:
	$(CARGO) fmt --all
