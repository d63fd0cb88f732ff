# Two commands a newcomer needs (README quick start):
#   make paper   set up .venv and run the main job (the paper's quartic and base-model L2 losses)
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
	$(BIN)/python -m pip install --quiet -e '.[test,plot,digits]'
	touch $(STAMP)

paper: $(STAMP)
	@echo "== The paper's quartic f = (x^2-1)^2/4: every strict minimum in [-10, 10]"
	@$(EOS) check '(x**2-1)**2/4'
	@echo
	@echo "== Base-model L2 losses (g(x) - y)^2 at x_bar = g^{-1}(y)"
	@$(EOS) l2 'tanh(x)' --target 1/2 --at 'atanh(1/2)'
	@echo
	@$(EOS) l2 'sin(x)' --target 1/2 --at 'pi/6'
	@echo
	@$(EOS) l2 'exp(x)' --target 2 --at 'log(2)'
	@echo
	@$(EOS) l2 'sigmoid(x)' --target 3/4 --at 'log(3)'
	@echo
	@$(EOS) l2 'x**3' --target 1 --at 1
	@echo
	@$(EOS) l2 'gaussian(x)' --target 'exp(-1)' --at 1
	@echo
	@$(EOS) l2 'log(x)' --target 1 --at E
	@echo
	@echo "== Period-2 orbits of the quartic: certified 2-cycle at eta = 11/10 and the stability window"
	@$(EOS) orbit '(x**2-1)**2/4' --eta 11/10 --at 1
	@echo
	@$(EOS) window '(x**2-1)**2/4' --at 1
	@echo
	@$(EOS) existence '(x**2-1)**2/4' --at 1
	@echo
	@echo "== The paper's quartic claims: orbit equation (proved), where 1.121 comes from, basin of (0, 1)"
	@$(EOS) quartic
	@echo
	@echo "== The paper's (xy - 1)^2/2: multivariate check, the 2-cycle, balancing"
	@$(EOS) check '(x*y-1)**2/2' --vars x,y --at 1,1
	@echo
	@$(EOS) orbit '(x*y-1)**2/2' --vars x,y --at 1,1 --eta 11/10
	@echo
	@$(EOS) xy
	@echo
	@echo "== The single ReLU neuron"
	@$(EOS) neuron
	@echo
	@echo "== Matrix factorisation"
	@$(EOS) mf
	@echo
	@echo "== The composition rule: counterexamples of the naive rule"
	@$(EOS) counterexamples

test: $(STAMP)
	$(BIN)/python -m pytest

test-thorough: $(STAMP)
	$(BIN)/python -m pytest --hypothesis-profile=thorough

bench: $(STAMP)
	$(BIN)/python bench/bench_jets.py
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_orbit.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
