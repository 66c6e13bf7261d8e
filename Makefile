# Every target is self-contained from a fresh clone: it creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: demo test bench conformance lint docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# One stamp per extra set, rebuilt when pyproject.toml changes.
$(VENV)/.demo: pyproject.toml | $(BIN)/python
	$(PIP) -e ".[examples]"
	@touch $@

$(VENV)/.test: pyproject.toml examples/third_party_backend/pyproject.toml | $(BIN)/python
	$(PIP) -e ".[test,examples]" ruff import-linter
	$(PIP) -e examples/third_party_backend
	@touch $@

$(VENV)/.docs: pyproject.toml | $(BIN)/python
	$(PIP) -e ".[docs]"
	@touch $@

docs: $(VENV)/.docs
	$(BIN)/mkdocs build --strict

demo: $(VENV)/.demo
	$(BIN)/python -m ember.demo

test: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2 --timeout=600 tests
	$(BIN)/python -m pytest -q -n 2 -p ember_conformance --ember-backend numpy --ember-oracle torch conformance/ember_conformance
	$(BIN)/python -m pytest -q -n 2 -p ember_conformance --ember-backend reference conformance/ember_conformance
	$(BIN)/python -m pytest -q examples/third_party_backend/tests
	$(BIN)/ember conformance --backend f64acc --xfails-file examples/third_party_backend/src/ember_f64acc/xfails.txt -- -n 2

conformance: $(VENV)/.test
	$(BIN)/ember conformance --backend numpy
	$(BIN)/ember conformance --backend reference

bench: $(VENV)/.test
	$(BIN)/python -m pytest benchmarks --benchmark-only -q
	$(BIN)/python benchmarks/compare.py

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) build *.egg-info frontend/*.egg-info
