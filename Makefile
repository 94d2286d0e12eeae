# Two entry points for a fresh machine: `make book` and `make test`.
# Both create the virtual environment in .venv on first use (Python 3.11, pinned requirements).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(abspath $(VENV))/bin
STAMP  := $(VENV)/.installed

# nbgrader calls `alembic` (and jupyter calls its subcommands) from PATH: put the venv first.
export PATH := $(BIN):$(PATH)

.PHONY: book test bench clean-book exercises help

help:
	@echo "make book       build the HTML book into _build/html"
	@echo "make test       run every test (course_lib, book, exercises, grading)"
	@echo "make bench      print build and grading timings"
	@echo "make exercises  regenerate exercises/ from solutions/ with nbgrader"

$(STAMP): requirements.txt pyproject.toml
	@# Debian packages, installed here when we can: bubblewrap isolates submissions in the grader;
	@# chromium shows the built book to the tests as a reader's browser does; postgresql serves the
	@# gradebook of a class graded on a cluster (the tests start a server of their own)
	@missing=""; command -v bwrap >/dev/null 2>&1 || missing="$$missing bubblewrap"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "WARNING: not installed:$$missing (bubblewrap: needed before grading a class; chromium: the browser tests; postgresql: the cluster test)"; fi; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

# The book's inputs: when none is newer than the last successful build, `make book` has nothing
# to do. Otherwise jupyter-book runs; it executes only the pages whose code changed
# (jupyter-cache) and rewrites only the pages that changed.
BOOK_INPUTS := _config.yml _toc.yml $(shell find book course_lib -type f -not -path '*/__pycache__/*' -not -name '*.pyc')
BOOK_BUILT  := _build/html/.built

book: $(STAMP)
	@test -f .jupyter_cache/global.db || rm -f $(BOOK_BUILT)   # the cache was emptied: run every page
	@$(MAKE) --no-print-directory $(BOOK_BUILT)
	@echo
	@echo "Open $(abspath _build/html/index.html) in a browser."

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

exercises: $(STAMP)
	for a in $$(ls solutions); do $(BIN)/nbgrader generate_assignment $$a --force || exit 1; done

# jupyter-book's own command, started with jsonschema's unused IRI grammar deferred and ended
# without tearing its objects down (book/_ext/jupyter_book_main.py: about 5 s at every build)
JUPYTER_BOOK := $(BIN)/python book/_ext/jupyter_book_main.py

$(BOOK_BUILT): $(STAMP) $(BOOK_INPUTS)
	$(JUPYTER_BOOK) build . --warningiserror --nitpick --keep-going
	@touch $@

clean-book:
	rm -rf _build
