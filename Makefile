# StreamLab. Two commands do everything on a fresh Debian machine:
#   make serve   install what is missing, then serve the app at http://127.0.0.1:8080
#   make test    install what is missing, then run every test suite (see scripts/test.sh)
# Tool versions: tools/versions.env, Cargo.lock (wasm-bindgen), package-lock.json (node tools).

SHELL := /bin/bash
.DEFAULT_GOAL := help
ENV := . scripts/env.sh &&

.PHONY: help serve test setup setup-build build clean

help:
	@echo "make serve   install what is missing, serve the app at http://127.0.0.1:8080"
	@echo "make test    install what is missing, run native, wasm, build and e2e tests"
	@echo "make build   release build into dist/ (trunk build --release --offline)"
	@echo "make setup   only install the tools (idempotent)"

setup:
	@scripts/setup.sh test

setup-build:
	@scripts/setup.sh build

serve: setup-build
	@$(ENV) trunk serve --offline --address 127.0.0.1 --port 8080

test:
	@scripts/test.sh

build:
	@scripts/setup.sh release
	@$(ENV) trunk build --release --offline

clean:
	rm -rf dist target/test-logs tests/e2e/artifacts
