# Two commands for contributors:  `make serve`  and  `make test`.
# Both set everything up first (a local .venv from requirements.lock, Node tools from
# package-lock.json, headless Chromium for the browser tests) and are quick when done.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup serve build offline test-versions test test-search test-repeat test-examples test-online translated update-output format bench lock clean

help:
	@echo "make serve          set up, then serve the site on http://127.0.0.1:8000/gevent-guide/ with live reload"
	@echo "make test           set up, then run every check (examples, build, pages, browser, workflows)"
	@echo "make build          build the static site into site/"
	@echo "make offline        build the offline copy (works from file://, no server) into gevent-guide-offline.zip"
	@echo "make update-output  re-run every snippet and rewrite the output and timelines shown on the pages"
	@echo "make test-search    the full search matrix: every query, input way, moment and screen"
	@echo "make test-repeat N=5 STRESS=2  hunt flaky tests: N runs on fresh clones of HEAD (STRESS: CPU burners)"
	@echo "make test-examples  only the example suite (what the Python 3.10-3.13 matrix runs)"
	@echo "make test-versions  the example suite with the oldest gevent/greenlet (UPDATE=1: record the run)"
	@echo "make test-online    run the internet examples against the real hosts"
	@echo "make translated PAGE=queue  after translating: record that both languages of a page say the same"
	@echo "make bench          print speed and size figures (examples ratio, build time, page weight, search latency)"
	@echo "make format         format snippets and project code with black and ruff"
	@echo "make lock           re-resolve requirements.lock after editing pyproject.toml"

$(PY_STAMP): requirements.lock pyproject.toml
	@$(PYTHON) scripts/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(NODE_STAMP): package-lock.json
	@sh scripts/ensure_system_tools.sh node
	@sh scripts/ensure_system_tools.sh java
	npm ci --no-audit --no-fund --silent
	@touch $@

setup: $(PY_STAMP)

serve: $(PY_STAMP)
	@$(BIN)/python scripts/check_python.py --site
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(PY_STAMP)
	@$(BIN)/python scripts/check_python.py --site
	$(BIN)/mkdocs build --strict --site-dir site

OFFLINE_ZIP ?= gevent-guide-offline.zip
offline: $(PY_STAMP)
	@$(BIN)/python scripts/check_python.py --site
	$(BIN)/gevent-guide offline $(OFFLINE_ZIP)

test: $(PY_STAMP) $(NODE_STAMP)
	@$(BIN)/python scripts/check_python.py --site
	@sh scripts/ensure_system_tools.sh chromium
	@sh scripts/ensure_system_tools.sh java
	$(BIN)/python -m pytest -n 3 --dist loadgroup

# every search query x input way x moment x screen (make test runs each query once and
# each way x moment x screen once)
test-search: $(PY_STAMP) $(NODE_STAMP)
	@$(BIN)/python scripts/check_python.py --site
	@sh scripts/ensure_system_tools.sh chromium
	$(BIN)/python -m pytest tests/browser/test_search.py -m "search_matrix or not search_matrix" -n 4 -p no:cacheprovider

N      ?= 5
STRESS ?= 0
test-repeat: $(PY_STAMP)
	$(BIN)/gevent-guide repeat --runs $(N) --stress $(STRESS)

test-examples: $(PY_STAMP)
	$(BIN)/python -m pytest tests/test_snippets.py tests/test_timelines.py tests/test_servers.py tests/test_pages.py

# The examples suite with the oldest gevent/greenlet pair the guide supports
# (requirements-oldest.lock) in a venv of its own. UPDATE=1 records the run in
# verified-runs.json (the pages' "verified with" range) and the outputs that differ
# (<name>.gevent-X.Y.out) through `gevent-guide update-output`, once every example ran cleanly.
# Other Pythons: make test-versions PYTHON=python3.13 OLDEST=.venv-oldest-3.13
OLDEST        ?= .venv-oldest
VERSIONS_LOCK ?= requirements-oldest.lock
EXAMPLES_SUITE := tests/test_snippets.py tests/test_timelines.py tests/test_servers.py tests/test_versions.py
$(OLDEST)/.installed: $(VERSIONS_LOCK)
	@$(PYTHON) scripts/check_python.py
	rm -rf $(OLDEST)
	$(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(VERSIONS_LOCK)
	$(OLDEST)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

test-versions: $(OLDEST)/.installed
	$(if $(UPDATE),$(OLDEST)/bin/gevent-guide update-output,$(OLDEST)/bin/python -m pytest $(EXAMPLES_SUITE))

test-online: $(PY_STAMP)
	$(BIN)/python -m pip install --quiet uv==0.13.9
	$(BIN)/python -m pytest tests/test_snippets.py tests/test_published.py --online -m network -s

update-output: $(PY_STAMP)
	$(BIN)/gevent-guide update-output

translated: $(PY_STAMP)
	@test -n "$(PAGE)" || { echo "usage: make translated PAGE=<page>  (e.g. PAGE=queue; PAGE=--all for every page)"; exit 2; }
	$(BIN)/gevent-guide translated $(PAGE)

format: $(PY_STAMP)
	$(BIN)/black --quiet snippets
	$(BIN)/ruff check --fix src tests scripts
	$(BIN)/ruff format src tests scripts

bench: $(PY_STAMP) $(NODE_STAMP)
	@sh scripts/ensure_system_tools.sh chromium
	$(BIN)/gevent-guide bench

lock: $(PY_STAMP)
	$(BIN)/python -m pip install --quiet uv==0.13.9
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.10 --generate-hashes -q -o requirements.lock
	$(BIN)/uv pip compile requirements-oldest.in --universal --python-version 3.10 --generate-hashes -q -o requirements-oldest.lock

clean:
	rm -rf $(VENV) $(OLDEST) node_modules site site-offline $(OFFLINE_ZIP) .pytest_cache test-results
