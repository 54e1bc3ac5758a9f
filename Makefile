# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip -q --disable-pip-version-check
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test lint browser bench eval

$(VENV)/bin/python:
	python3 -m venv $(VENV)

# torch first, pinned: any other torch request pulls gigabytes of CUDA wheels.
$(VENV)/.installed-app: pyproject.toml | $(VENV)/bin/python
	$(PIP) install torch==2.13.0
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-app pyproject.toml
	$(PIP) install -e ".[test]"
	touch $@

run: $(VENV)/.installed-app
	$(PY) app.py

# The browser tests drive Debian's chromium (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests app.py $(wildcard benchmarks)
	$(VENV)/bin/ruff format --check src tests app.py $(wildcard benchmarks)

test: $(VENV)/.installed-test browser lint
	$(PY) -m pytest
