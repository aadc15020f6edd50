# Two commands on a fresh machine: `make report` and `make test`.
# Both create .venv and install the project with its dev extras when missing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
CORPUS ?= seeds
OUT ?= .

.PHONY: report test lab bench lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

report: $(STAMP)
	$(PY) -m analysis report --corpus $(CORPUS) --out $(OUT)

test: $(STAMP)
	$(PY) -m pytest

lab: $(STAMP)
	$(PY) -m ipykernel install --user --name anchorage-discourse --display-name "Python (anchorage-discourse)"
	$(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP)
	$(PY) benchmarks/report_seeds.py

lint: $(STAMP)
	$(VENV)/bin/ruff check analysis tests benchmarks
	$(VENV)/bin/ruff format --check analysis tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache
