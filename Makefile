# Quick start: `make run` serves the demo, `make test` runs everything CI runs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint typecheck unit services stop bench clean i18n

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# `make run PORT=8001 HOST=0.0.0.0` serves elsewhere than http://127.0.0.1:8000.
HOST ?= 127.0.0.1
PORT ?= 8000

run: setup
	$(BIN)/truceline demo
	$(BIN)/truceline serve --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: setup
	$(BIN)/mypy

services: setup
	bash scripts/test-services.sh

# Stops the PostgreSQL cluster that `make test` started (it is kept running between runs).
stop:
	bash scripts/test-services.sh stop

test: setup lint typecheck services
	. ./var/test-services.env && $(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: setup
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

# Interface translations: refresh the template from the sources, merge it into each
# catalogue, and compile the .mo files (committed, so a fresh clone works without this).
I18N := src/truceline/http/i18n
i18n: setup
	$(BIN)/pybabel extract -F $(I18N)/babel.cfg -k _ -k gettext -k ngettext:1,2 -k N_ --no-location --omit-header --sort-output -o $(I18N)/messages.pot .
	$(BIN)/pybabel update -i $(I18N)/messages.pot -d $(I18N) -D messages --no-fuzzy-matching
	$(BIN)/pybabel compile -d $(I18N) -D messages --statistics

clean:
	rm -rf $(VENV) var build dist
