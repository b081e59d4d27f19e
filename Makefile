# gradguard: the two commands a new user needs are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup demo test test-fast e2e bench bench-setup bench-quick audit realbugs docs facts fuzz clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Check the bundled example scripts (they have real bugs: exit code 1 is expected).
demo: setup
	$(VENV)/bin/gradguard check examples/ || test $$? -eq 1

# The whole test suite, torch as the judge (installs the pinned CPU torch).
test: setup
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not slow"

# The real-editor test: code-server + Chromium + Playwright, and Neovim headless.
e2e: setup
	bash .ci/editor-e2e.sh

bench-setup: setup
	bash bench/setup.sh
	bash bench/fetch_corpus.sh

bench: bench-setup
	$(PY) bench/run.py

bench-quick: bench-setup
	$(PY) bench/run.py --quick

audit: setup
	bash bench/fetch_corpus.sh
	$(PY) bench/audit.py

# The real-bug score (issue #13): per-case table and the findings on the fixed versions. The files are extracted
# from the repositories' git mirrors in $GRADGUARD_MIRRORS (default /work/.mirror); it says how to get them if absent.
realbugs: setup
	$(PY) tools/realbugs.py --mirrors $${GRADGUARD_MIRRORS:-/work/.mirror}

docs: setup
	$(VENV)/bin/gradguard docs --out docs/rules

facts: setup
	$(PY) tools/gen_facts.py

# The long robustness run (tests/robustness/README.md): hypothesis profile "long", every corpus file cut 3 times.
fuzz: setup
	mkdir -p $${GRADGUARD_CORPUS:-/tmp/gradguard-corpus}/src && bash bench/fetch_corpus.sh
	GRADGUARD_FUZZ=long $(PY) -m pytest -q -p no:cacheprovider tests/robustness --hypothesis-show-statistics -rxX

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
