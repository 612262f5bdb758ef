# Two commands on a fresh machine: `make serve` runs the site, `make test` passes the tests.
# Each bootstraps what it needs (.venv, node_modules) and does nothing more when it is there.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: deps serve build test lint typecheck bench clean

$(BIN)/mkdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

deps: $(BIN)/mkdocs node_modules/.package-lock.json

serve: deps  ## the site at http://127.0.0.1:8000/, rebuilt on every change
	SITE_URL=http://127.0.0.1:$(PORT)/ $(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

build: deps  ## the static site in site/
	$(BIN)/mkdocs build --strict

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: deps
	$(BIN)/mypy

test: deps lint typecheck  ## everything CI runs: lint, types, unit, build, Pyodide, browser
	$(BIN)/pytest

bench: deps  ## benchmarks (not tests): see bench/README.md
	$(BIN)/python bench/run.py

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
