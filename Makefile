# envdeck — two commands for people: `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
UI_SRC := $(shell find ui/src ui/index.html ui/vite.config.ts ui/svelte.config.js ui/tsconfig.json -type f 2>/dev/null)

.PHONY: run test bundle test-bundle test-bundle-debug deps-run deps-test ui check lint fmt

## Build and open the window on the embedded demo workspace.
run: deps-run ui
	$(CARGO) run

## Install what is missing and run every test (UI unit tests, Rust unit and integration
## tests against real PostgreSQL, Secret Service and the real window).
test: deps-test ui tests/oauth/node_modules/.installed
	cd ui && npm test --silent
	$(CARGO) check --no-default-features --bin envdeck --quiet
	tests/run-suite.sh
	$(MAKE) --no-print-directory test-bundle-debug

# The install test on every `make test`: the suite's own debug binary, packaged by the same
# Tauri bundler and config as `make bundle` (desktop entry, icons, dependencies), then
# installed with dpkg and started. Bundling a built binary takes seconds; the release
# build `make test-bundle` needs takes ~17 minutes cold on 2 cores (fat LTO).
DEBUG_TARGET = $${CARGO_TARGET_DIR:-target}
test-bundle-debug: deps-run ui
	$(CARGO) build --bin envdeck --quiet
	CARGO_TARGET_DIR=$(DEBUG_TARGET) ui/node_modules/.bin/tauri bundle --debug --bundles deb --ci >/dev/null
	tests/bundle.sh "$$(ls -t $(DEBUG_TARGET)/debug/bundle/deb/*.deb | head -n1)"

# Release builds (make bundle, tests/bench/startup.sh) keep their own target dir: the
# release profile (LTO) shares nothing with the debug builds the tests use.
RELEASE_TARGET ?= $(HOME)/.cache/envdeck/release-target

## Build the release binary and its .deb (Tauri bundler: desktop entry, icons) into
## $(RELEASE_TARGET)/release/bundle/deb.
bundle: deps-run ui
	CARGO_TARGET_DIR=$(RELEASE_TARGET) $(CARGO) build --release --bin envdeck
	CARGO_TARGET_DIR=$(RELEASE_TARGET) ui/node_modules/.bin/tauri bundle --bundles deb --ci
	@ls -1 $(RELEASE_TARGET)/release/bundle/deb/*.deb

## Install that .deb (dpkg -i, as root), start the installed envdeck, check its desktop entry.
test-bundle: bundle
	tests/bundle.sh

deps-run:
	@.ci/deps run

deps-test:
	@.ci/deps test

ui: ui/dist/index.html

ui/node_modules/.installed: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The reconnect tests' OAuth server, test app and headless browser (tests/oauth).
tests/oauth/node_modules/.installed: tests/oauth/package-lock.json
	cd tests/oauth && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

ui/dist/index.html: ui/node_modules/.installed $(UI_SRC)
	cd ui && npm run build --silent
	@touch $@

## What to run before a commit.
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	cd ui && npm run check --silent
