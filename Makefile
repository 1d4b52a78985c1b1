# Two commands set everything up on a machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall whenever the dependency list changes.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Opens the window on the sample project (kept in the user's data folder between runs).
run: $(STAMP)
	$(VENV)/bin/tunedeck

test: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/lint_bench.py
	$(PY) bench/store_bench.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/ui_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
