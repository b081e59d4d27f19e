# gradguard: the two commands a new user needs are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO_STAMP := $(VENV)/.package-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

# What `make setup` / `make test` download: the package's dependencies (libcst, pygls, lsprotocol, jedi and theirs)
# and the test tools, plus torch==2.13.0 from the configured package index. From PyPI alone that is, on Linux
# x86_64, the CUDA build: torch (~900 MB) plus triton and 18 nvidia-*/cuda-* wheels, several GB in all; on macOS
# and Windows PyPI's torch is the CPU build. For the CPU-only Linux build (torch 2.13.0+cpu, ~200 MB) point pip at
# an index or find-links folder that holds it: `make test TORCH_INDEX=URL` (these machines' pip config already has
# it in a local wheel folder, so a plain install resolves to 2.13.0+cpu here).
TORCH_INDEX ?=
PIP_INDEX_ARGS := $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX))

.PHONY: setup demo test test-fast e2e vsix bench bench-setup bench-quick audit realbugs docs facts fuzz clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check $(PIP_INDEX_ARGS) -e '.[dev]'
	touch $(STAMP) $(DEMO_STAMP)

setup: $(STAMP)

# The package alone (libcst, pygls, lsprotocol, jedi): no torch, no test tools; the analysis never imports torch.
$(DEMO_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $(DEMO_STAMP)

# Check the bundled example scripts (they have real bugs: exit code 1 is expected).
demo: $(DEMO_STAMP)
	$(VENV)/bin/gradguard check examples/ || test $$? -eq 1

# The whole test suite, torch as the judge (installs the pinned CPU torch).
test: setup
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not slow"

# The real-editor test: code-server + Chromium + Playwright, and Neovim headless.
e2e: setup
	bash .ci/editor-e2e.sh

# The VS Code extension: one package per platform with the server bundled (bundled/libs) and a universal one that
# uses the environment, in dist/ (tools/package_vsix.py; needs `npm ci`). `npm run package`: this machine's only.
vsix: setup
	test -d node_modules/@vscode/vsce || npm ci
	$(PY) tools/package_vsix.py --all

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
