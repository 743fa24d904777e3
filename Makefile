# StreamLab. Two commands do everything on a fresh Debian machine:
#   make serve   install what is missing, then serve the app at http://127.0.0.1:8080
#   make test    install what is missing, then run every test suite (see scripts/test.sh)
# Tool versions: tools/versions.env, Cargo.lock (wasm-bindgen), package-lock.json (node tools).

SHELL := /bin/bash
.DEFAULT_GOAL := help
ENV := . scripts/env.sh &&

.PHONY: help serve test setup setup-build build scorm clean

help:
	@echo "make serve   install what is missing, serve the app at http://127.0.0.1:8080"
	@echo "make test    install what is missing, run native, wasm, build and e2e tests"
	@echo "make build   release build into dist/ (trunk build --release --offline)"
	@echo "make scorm   SCORM 1.2 package for an LMS: dist-scorm/streamlab-scorm12.zip"
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

# A release build with a relative base (an LMS serves the package under a path of its own),
# packaged by `streamlab scorm`: imsmanifest.xml with one SCO per lesson and quiz bank.
scorm:
	@scripts/setup.sh release
	@$(ENV) trunk build --release --offline --public-url ./ --dist target/scorm-site
	@cargo run --release --quiet -- scorm target/scorm-site --out dist-scorm/streamlab-scorm12.zip

clean:
	rm -rf dist dist-scorm target/test-logs tests/e2e/artifacts
