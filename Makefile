# Two commands set everything up on a machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PACKAGE_STAMP := $(VENV)/.installed-package
# Where `make package` puts the application and its intermediate files (both git-ignored).
DIST ?= dist
PACKAGE_BUILD ?= build/package

.PHONY: run test test-bundle lint bench package clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall whenever the dependency list changes.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(PACKAGE_STAMP): pyproject.toml | $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,package]'
	touch $(PACKAGE_STAMP)

# Opens the window on the sample project (kept in the user's data folder between runs).
run: $(STAMP)
	$(VENV)/bin/tunedeck

# Every test but building the desktop application (minutes of CPU): .ci/run runs that one
# too, through `make test-bundle`.
test: $(STAMP)
	$(VENV)/bin/ruff check src tests bench packaging
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not bundle"

test-bundle: $(PACKAGE_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m bundle

# The desktop application, needing no Python: $(DIST)/tunedeck (see packaging/README.md).
package: $(PACKAGE_STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath $(DIST) \
		--workpath $(PACKAGE_BUILD) packaging/tunedeck.spec

bench: $(STAMP)
	$(PY) bench/lint_bench.py
	$(PY) bench/store_bench.py
	$(PY) bench/stats_bench.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/ui_bench.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/split_apply_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis $(PACKAGE_BUILD) $(DIST)
