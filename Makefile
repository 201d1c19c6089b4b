# Fengqiao: see README.md. `make test` is what CI runs.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test fmt-check clippy test-rust test-sqlite check fmt

## Everything: formatting, lints, and all Rust tests on SQLite and PostgreSQL.
test: fmt-check clippy test-rust

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

## All Rust tests, each storage test on SQLite and on a throwaway PostgreSQL.
test-rust:
	./scripts/with-postgres.sh $(CARGO) test --workspace --locked

## Quick loop while working: SQLite only.
test-sqlite:
	$(CARGO) test --workspace

check:
	$(CARGO) check --workspace --all-targets

fmt:
	$(CARGO) fmt --all
