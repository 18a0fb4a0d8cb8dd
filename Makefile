# Yimen developer entry points.  `make run` and `make test` work on a fresh Debian machine with only python3:
# they install the Debian packages Qt, the CJK fonts and poppler need, create .venv from the hashed lock file,
# build the translations and then run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-12)
DEMO_DIR ?= .demo-data
# The one-box demo server: a SQLite store beside the demo data, on the address resources/demo/deployment.toml names.
DEMO_SERVER_DB ?= .demo-server/yimen-server.db
DEMO_SERVER_ENV := YIMEN_SERVER_DATABASE_URL=sqlite:///$(abspath $(DEMO_SERVER_DB)) YIMEN_SERVER_PORT=8600

# Qt's system libraries (offscreen and xcb), CJK fonts that render 𠮷/䶮 (on screen, and the sources of the document
# fonts), poppler and zbar for the PDF and QR tests, venv.
DEB_PACKAGES := python3-venv libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 \
	libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
	libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-randr0 fonts-noto-cjk fonts-hanazono poppler-utils poppler-data \
	zbar-tools
# The printing tests' own print system (tests/cupskit.py): a private cupsd with cups-pdf queues, which writes each job
# as a PDF through ghostscript (the tests run their own daemon and never use the machine's print system).
DEB_PACKAGES += cups printer-driver-cups-pdf
# Qt Multimedia (the document camera, ui/intake/camera.py) links PulseAudio's client library.
DEB_PACKAGES += libpulse0
# The installers and their tests (docs/installing.md): PyInstaller's link analysis (binutils), the bundle's library
# search paths (patchelf, docs/bundle.md), the .deb checks (lintian), the MSI authoring checks (wixl; msitools:
# msiinfo, msibuild), the reverse proxy in front of the central server in the end-to-end test (nginx) and the check
# of the server's units (systemd-analyze verify).
DEB_PACKAGES += binutils patchelf lintian msitools wixl nginx-light systemd
# The ID-card reader tests build a fake vendor library from C (tests/app/idcard/fake_reader.c) with cc.
DEB_PACKAGES += gcc libc6-dev
ARCH ?= $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
# The ID-card reader's bridge (app/idcard/bridge.c, docs/devices.md "The bridge") is built for both bitnesses on
# amd64: the 32-bit one with gcc -m32; the Windows .exe pair with MinGW-w64 (its win32-threads compilers only, about
# 500 MB: installer/build_bridge.py --windows, and the test that the pair builds and imports only system DLLs).
ifeq ($(ARCH),amd64)
DEB_PACKAGES += gcc-multilib gcc-mingw-w64-i686-win32 gcc-mingw-w64-x86-64-win32
endif

QM_FILES := $(patsubst %.ts,%.qm,$(wildcard resources/translations/*.ts))
# The document fonts (TrueType conversions of Noto Serif CJK SC and a rare-character fallback; built, not committed).
FONTS := resources/fonts/YimenSerif-Regular.ttf resources/fonts/YimenSerif-Bold.ttf \
	resources/fonts/YimenFallback-Regular.ttf

.PHONY: run test lint typecheck imports pytest bench reliability deps venv translations fonts bridge lock clean screenshots documents server enroll openapi installers

run: venv translations fonts bridge
	$(PY) -m ui --config resources/demo/deployment.toml --data-dir $(DEMO_DIR) --demo

# A local central server for the demo workstation (SQLite store; Ctrl+C stops it).
server: venv
	mkdir -p $(dir $(DEMO_SERVER_DB))
	$(DEMO_SERVER_ENV) $(VENV)/bin/yimen-server migrate
	$(DEMO_SERVER_ENV) $(VENV)/bin/yimen-server run

# Enroll the demo workstation with the local server (a one-time code made and used at once).
enroll: venv
	code=$$($(DEMO_SERVER_ENV) $(VENV)/bin/yimen-server admin enroll-code --center 310104003 --workstation 003) && \
	$(PY) -m ui enroll --code "$$code" --config resources/demo/deployment.toml --data-dir $(DEMO_DIR)

# Regenerate the checked-in OpenAPI document after an API change.
openapi: venv
	$(PY) -m server openapi > docs/openapi.json

test: venv translations fonts bridge
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

screenshots: venv translations fonts bridge
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.screenshots

# Every document of every shipped item, drawn from the demo's sample cases into docs/documents/<ITEM>/ (poppler).
documents: venv fonts
	$(PY) -m app.documents.gallery docs/documents

# The long modes of the reliability tests (docs/reliability.md): many more random kills during saves.
reliability: venv translations fonts
	YIMEN_RELIABILITY_RUNS=200 QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/reliability

bench: venv translations fonts
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

deps:
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:" $$missing; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	fi

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml | deps
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $@

translations: $(QM_FILES)

# The ID-card reader's bridge for each bitness into build/idcard-bridge (kept while newer than its source).
bridge: | deps
	$(PYTHON) -m installer.build_bridge --out build/idcard-bridge

fonts: $(FONTS)

$(FONTS) &: installer/build_fonts.py | $(STAMP)
	$(PY) installer/build_fonts.py resources/fonts

resources/translations/%.qm: resources/translations/%.ts | $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

# Regenerate the locks (needs uv; run after changing dependencies in pyproject.toml): the development lock (client,
# server and the tools) and the central server's own (its dedicated virtual environment, docs/operations.md).
lock:
	uv pip compile pyproject.toml --extra client --extra server --extra dev --universal --generate-hashes --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --extra server --universal --generate-hashes --python-version 3.11 -o requirements-server.lock

# The client's installers from this checkout (docs/installing.md): the PyInstaller bundle, the .deb for Debian,
# UOS and Kylin with the document camera's optional yimen-camera .deb, the UOS app-store layout, and the MSI's
# authoring (checked here with msitools; the Windows bundle itself is built on Windows; the bridge's Windows .exe
# pair is cross-compiled into build/idcard-bridge with MinGW-w64, for the Windows build machine to take).
# ARCH=arm64 on an arm64 machine.
installers: venv translations fonts bridge
	@tag=$$(git describe --exact-match --tags HEAD 2>/dev/null || true); \
	want=v$$($(PY) -c 'from app.version import version; print(version())'); \
	if [ -n "$$tag" ] && [ "$$tag" != "$$want" ]; then \
	  echo "标签 $$tag 与 pyproject.toml 的版本（$$want）不一致：先改 [project] version，再打标签。" >&2; exit 1; fi
	$(PYTHON) -m installer.build_bridge --out build/idcard-bridge --windows
	$(PY) -m installer.build_linux --arch $(ARCH) --out dist
	$(PY) -m installer.windows.build_msi --out dist

clean:
	rm -rf $(VENV) build dist $(DEMO_DIR) .demo-server bench-data resources/translations/*.qm resources/fonts .mypy_cache .pytest_cache .ruff_cache
