# Two commands for a fresh machine with python3 (>= 3.11) and make:
#   make demo   set up .venv, install bmdsim, run the built-in demo
#   make test   set up .venv with the test extras, run linters, the layer contract and every test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck contracts bench validate fuzz viewer clean

$(PY):
	$(PYTHON) tools/make_venv.py $(VENV)

$(VENV)/.stamp-install: $(PY) pyproject.toml
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-install pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	touch $@

demo: $(VENV)/.stamp-install
	$(BIN)/bmdsim demo

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

typecheck: $(VENV)/.stamp-test
	$(BIN)/mypy

contracts: $(VENV)/.stamp-test
	cd src && ../$(BIN)/lint-imports --config ../pyproject.toml

# the tests run in a worker per core (pytest-xdist; see tests/conftest.py for the grouping)
test: lint typecheck contracts
	$(PY) -m pytest -q -n auto --dist loadgroup

# the fuzz tests of the command line and scenario files with FUZZ_SCALE times the cases of
# the normal test run (each failure prints the input that causes it)
FUZZ_SCALE ?= 8

fuzz: $(VENV)/.stamp-test
	BMDSIM_FUZZ_SCALE=$(FUZZ_SCALE) $(PY) -m pytest -q -m fuzz tests/fuzz

bench: $(VENV)/.stamp-install
	$(BIN)/bmdsim bench

validate: $(VENV)/.stamp-install
	$(BIN)/bmdsim validate

# the globe viewer's CesiumJS build (npm registry, ~25 MB) into the viewer cache
# ($$BMDSIM_VIEWER_DIR, else ~/.cache/bmdsim/viewer); 'bmdsim view' also does it on first use
viewer: $(VENV)/.stamp-install
	$(PY) -m bmdsim.web

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
