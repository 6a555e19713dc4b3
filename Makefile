# The two commands a reader needs:  `make serve`  and  `make test`.
# Both set up everything from pinned versions first (Python packages from
# requirements.lock into .venv, KaTeX from package-lock.json into node_modules).

PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV   := .venv
BIN    := $(VENV)/bin
PY_OK  := $(VENV)/.installed
JS_OK  := node_modules/.installed

.PHONY: help setup serve build test test-fast lint mutation pdf lock clean bench

help:
	@echo "make serve   build and serve the site at http://127.0.0.1:8000 (English at /, Chinese at /zh/)"
	@echo "make test    run the whole test suite, including a strict build of the site"
	@echo "make test-fast  only the tests that build nothing and start no browser (package, doctests, sources, lint)"
	@echo "make build   build the site into site/"
	@echo "make lint    ruff over the Python sources and strict mypy over the package (also part of make test)"
	@echo "make mutation  mutate src/nnmem and run the fast package tests against every mutant (slow: about an hour)"
	@echo "make pdf     build the site and print the whole book: site/pdf/nnmem-book-en.pdf and -zh.pdf"
	@echo "make bench   install the benchmarks' peers (requirements-bench.txt) and re-measure bench/results/*.json (slow; run on an idle machine)"
	@echo "make lock    re-resolve requirements.in into requirements.lock"
	@echo "make clean   remove the environment, caches and the built site"

$(PY_OK): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(JS_OK): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(PY_OK) $(JS_OK)

serve: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup
	$(BIN)/mkdocs build --strict

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadscope --durations=15

test-fast: setup
	$(BIN)/python -m pytest -n 2 --dist loadscope -m "not docs"

lint: setup
	$(BIN)/ruff check src tests hooks docs_src tools bench
	$(BIN)/mypy

# Mutation testing with mutmut over the package, against the fast package tests
# listed in pyproject.toml ([tool.mutmut]); results are cached in mutants/, so a
# second run only re-tests what changed. The summary is committed.
mutation: setup
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python tools/mutation_report.py

# Benchmarks: install what they compare against (PyTorch's CPU build, pinned in
# requirements-bench.txt; scikit-learn is in requirements.lock), then measure the
# machine's peak first (the others report fractions of it) and write bench/results/.
BENCH_OK := $(VENV)/.bench-installed

$(BENCH_OK): requirements-bench.txt $(PY_OK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

bench: $(BENCH_OK)
	$(BIN)/python bench/peak.py
	$(BIN)/python bench/bench_mlp.py
	$(BIN)/python bench/bench_hopfield.py
	$(BIN)/python bench/bench_recurrent.py
	$(BIN)/python bench/bench_dense_memory.py

# The PDFs are written after the build, because `mkdocs build` empties site/.
pdf: build
	$(BIN)/python tools/make_pdf.py site/

lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.in
	{ echo "# Pinned by 'make lock' from requirements.in on Python 3.11. Do not edit by hand."; \
	  .venv-lock/bin/python -m pip freeze --all --exclude-editable | grep -v -i '^nnmem' ; } > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) node_modules site .cache .pytest_cache .hypothesis
