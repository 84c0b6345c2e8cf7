# The two commands of the README: `make run` and `make test` (both create .venv and install first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2

.PHONY: install install-test browser-deps run test index bench clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Re-install only when the project description, the lock or the native engine changed (idempotent, fast
# when nothing changed). `pip install -e .` also compiles native/e5fast.c into helpcenter/index/ (setup.py).
# requirements.lock pins every package either install may bring (`make lock` writes it): given as
# constraints, it fixes their versions without installing the extras `make install` leaves out.
LOCK := requirements.lock
$(VENV)/.installed: pyproject.toml setup.py $(LOCK) native/e5fast.c native/e5.h | $(BIN)/python
	$(BIN)/pip install -q -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) $(VENV)/.installed
	# torch first, pinned to the CPU build that lies on this disk, so the st extra does not pull a CUDA build.
	$(BIN)/pip install -q -c $(LOCK) torch==2.13.0
	$(BIN)/pip install -q -c $(LOCK) -e '.[st,dev]'
	touch $@

# Resolve pyproject.toml's dependencies (the st and dev extras too, torch held at 2.13.0) into $(LOCK),
# with pip-tools in a venv of its own under var/. Run after changing a dependency; commit the result.
lock: | $(BIN)/python
	test -x var/lock-venv/bin/pip-compile || ($(PYTHON) -m venv var/lock-venv && var/lock-venv/bin/pip install -q pip-tools)
	echo "torch==2.13.0" > var/lock-venv/torch.txt
	var/lock-venv/bin/pip-compile -q --extra st --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
		--annotation-style line -c var/lock-venv/torch.txt -o $(LOCK) pyproject.toml
	# a local build's "+cpu" would not match PyPI's own 2.13.0 elsewhere; plain ==2.13.0 matches both
	sed -i 's/^torch==2.13.0+cpu /torch==2.13.0      /' $(LOCK)

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser-deps node_modules/.installed

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`: no browser
# downloads), with fonts that render Korean and Persian. Installed only when missing (apt needs root);
# without them the browser tests are skipped.
APT_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
browser-deps:
	@command -v chromium >/dev/null || ($(APT_INSTALL) chromium) || echo "warning: chromium not installed"
	@(fc-list | grep -q "Noto Sans CJK KR" && fc-list | grep -q "Noto Sans Arabic") 2>/dev/null \
		|| ($(APT_INSTALL) fonts-noto-core fonts-noto-cjk) || echo "warning: Korean/Persian fonts not installed"

# axe-core, which tests/test_a11y_browser.py loads into every page it checks: the version package-lock.json
# pins, from npm, into node_modules/ (git-ignored; nothing in it is served). Without npm the accessibility
# tests are skipped and say why.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@ \
		|| echo "warning: npm ci failed: axe-core not installed, the accessibility tests will be skipped"; \
	else echo "warning: npm not found: axe-core not installed, the accessibility tests will be skipped"; fi

# Rebuilt only when content/ (or the encoder, the analyzers, the code's index format) changed since the live version.
index: install
	$(BIN)/kb build --if-changed

run: index
	$(BIN)/gunicorn -c python:helpcenter.serving -w $(WORKERS) -b 127.0.0.1:$(PORT) 'helpcenter.web:create_app()'

test: install-test
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/build_and_search.py

clean:
	rm -rf var/index var/cache
