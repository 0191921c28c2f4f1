# openkyc: `make run` starts a demo server, `make test` runs the suite on SQLite and PostgreSQL.
VENV ?= .venv
PY := $(VENV)/bin/python
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed
# Debian packages the tests need (the MRZ font for generated document images).
APT_PACKAGES := fonts-ocr-b chromium fonts-dejavu-core

.PHONY: install run test test-sqlite test-postgres lint check bench clean

$(STAMP): pyproject.toml tests/web/node/package-lock.json tests/external/node/package-lock.json
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	fi
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	# axe-core, injected by the browser tests into each hosted page (accessibility check).
	npm ci --prefix tests/web/node --no-audit --no-fund --silent
	# synapsenode, the official SynapseFI SDK that tests/external runs against the server.
	npm ci --prefix tests/external/node --no-audit --no-fund --silent
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/openkyc serve

test: test-sqlite test-postgres

test-sqlite: $(STAMP)
	$(PY) -m pytest -n 2 -q

test-postgres: $(STAMP)
	OPENKYC_TEST_DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

check: lint test

bench: $(STAMP)
	$(PY) benchmarks/api.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
