# Two commands a newcomer needs (README quick start):
#   make paper   set up .venv, run every claim of the paper and write reports/ (verify-paper --report)
#   make test    set up .venv and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
EOS    := $(BIN)/symbolic-eos

.PHONY: paper test test-thorough bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,plot,digits,lint]'
	touch $(STAMP)

paper: $(STAMP)
	$(EOS) verify-paper --report reports

test: $(STAMP)
	$(BIN)/python -m pytest

test-thorough: $(STAMP)
	$(BIN)/python -m pytest --hypothesis-profile=thorough

bench: $(STAMP)
	$(BIN)/python bench/bench_jets.py
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_orders.py
	$(BIN)/python bench/bench_bounds.py
	$(BIN)/python bench/bench_orbit.py
	$(BIN)/python bench/bench_certificates.py
	$(BIN)/python bench/bench_mlp.py
	$(BIN)/python bench/bench_verify.py
	$(BIN)/python bench/bench_parameter_map.py
	$(BIN)/python bench/bench_families.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
