# Two commands on a fresh machine: `make serve` runs the site, `make test` passes the tests.
# Each bootstraps what it needs (.venv, node_modules) and does nothing more when it is there.
# The versions come from the lock files: requirements/dev.txt (every Python package, pinned
# with its hashes; the Pages workflow installs requirements/build.txt, the site's share of it)
# and package-lock.json.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: deps serve build test lint typecheck bench lock clean

$(BIN)/mkdocs: pyproject.toml requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
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
	$(BIN)/actionlint

typecheck: deps
	$(BIN)/mypy

# The browser is checked first: without it, the run would end after minutes of lint, types
# and builds with every browser test failing on its own (tests/chromium.py says the fix).
test: deps  ## everything CI runs: lint, types, unit, build, Pyodide, browser
	$(BIN)/python tests/chromium.py
	$(MAKE) --no-print-directory lint typecheck
	$(BIN)/pytest

bench: deps  ## benchmarks (not tests): see bench/README.md
	$(BIN)/python tests/chromium.py
	$(BIN)/python bench/run.py

# After a pin changes in pyproject.toml: every transitive version and hash, for Python 3.11.5+
# on any platform (pymdown-extensions needs 3.11.5).
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11.5 \
	--generate-hashes --no-header --quiet
lock: deps
	$(LOCK) --group site -o requirements/build.txt
	$(LOCK) --group dev -o requirements/dev.txt

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
