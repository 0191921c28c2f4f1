# openkyc: `make run` starts a demo server, `make test` runs the suite on SQLite and PostgreSQL.
VENV ?= .venv
PY := $(VENV)/bin/python
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed

.PHONY: install run test test-sqlite test-postgres lint check bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
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
