# The two commands of the README: `make run` and `make test` (both create .venv and install first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2

.PHONY: install install-test browser-deps run test index bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Re-install only when the project description or the native engine changed (idempotent, fast when
# nothing changed). `pip install -e .` also compiles native/e5fast.c into helpcenter/index/ (setup.py).
$(VENV)/.installed: pyproject.toml setup.py native/e5fast.c native/e5.h | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	# torch first, pinned to the CPU build that lies on this disk, so the st extra does not pull a CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[st,dev]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser-deps

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`: no browser
# downloads), with fonts that render Korean and Persian. Installed only when missing (apt needs root);
# without them the browser tests are skipped.
APT_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
browser-deps:
	@command -v chromium >/dev/null || ($(APT_INSTALL) chromium) || echo "warning: chromium not installed"
	@(fc-list | grep -q "Noto Sans CJK KR" && fc-list | grep -q "Noto Sans Arabic") 2>/dev/null \
		|| ($(APT_INSTALL) fonts-noto-core fonts-noto-cjk) || echo "warning: Korean/Persian fonts not installed"

index: install
	$(BIN)/kb build

run: index
	$(BIN)/gunicorn -c python:helpcenter.serving -w $(WORKERS) -b 127.0.0.1:$(PORT) --access-logfile - 'helpcenter.web:create_app()'

test: install-test
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/build_and_search.py

clean:
	rm -rf var/index var/cache
