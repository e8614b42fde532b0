# Sitrep: the two commands of the README, and a few more for development.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SITREP := $(BIN)/sitrep

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

## demo: install, ingest the sample sources in seeds/ and print a briefing and a status answer
demo: $(VENV)/.installed
	$(SITREP) ingest seeds/frontline-wire.xml seeds/kabul-ledger-qala-e-naw.html
	$(SITREP) ingest seeds/badghis-report.txt --source "Frontline Notes"
	$(SITREP) ask "brief --since 7d"
	$(SITREP) ask "status Qala-e-Naw"

## test: install the test extras and run the whole suite
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check bot handlers briefing storage tests bench

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/claims.py
	$(BIN)/python bench/status.py
	$(BIN)/python bench/commands.py
	$(BIN)/python bench/digests.py

clean:
	rm -rf $(VENV) data .pytest_cache
