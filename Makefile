# The two front-door commands: `make site` builds every track, `make test` runs the tests.
# Both set up what they need first: Debian packages (when missing) and a virtualenv in .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test setup system-packages schema preview bench bench-handouts screenshots clean

# Every track, with its offline copy (a zip linked from its home page). SITE_URL, when given, is
# the address site/ is published at, e.g. `make site SITE_URL=https://example.org/iop/`.
site: setup
	$(BIN)/psychoed build --portable $(if $(SITE_URL),--site-url $(SITE_URL))

# The browser tests drive Debian's Chromium (Playwright cannot download a browser here).
test: EXTRA_PACKAGES = chromium poppler-utils
test: setup
	$(BIN)/python -m pytest

setup: system-packages $(VENV)/.installed

# Debian's python3 needs python3-venv for `python3 -m venv`. WeasyPrint (the PDF handouts)
# needs Pango with its FreeType backend, HarfBuzz's subsetter and fontconfig; the handouts are
# set in DejaVu Sans. Each package is installed only when missing.
HANDOUT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core

system-packages:
	@command -v apt-get >/dev/null || exit 0; \
	missing=$$(for p in $(HANDOUT_PACKAGES) $(EXTRA_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	$(PYTHON) -c "import ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# setuptools reports every editable install as a warning ("Editable installation …") that says
# nothing about this project: PYTHONWARNINGS keeps the setup quiet.
$(VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	PYTHONWARNINGS=ignore $(BIN)/pip install -q -e '.[test]'
	touch $@

schema: setup
	$(BIN)/psychoed schema --write curriculum/schema

# Renders pages of a packet and a worksheet to PNG (pdftoppm, from poppler-utils) to look at.
preview: EXTRA_PACKAGES = poppler-utils
preview: setup
	$(BIN)/python benchmarks/preview_handouts.py

# The README's screenshots (docs/images/): pages in headless Chromium, a handout page with pdftoppm.
screenshots: EXTRA_PACKAGES = chromium poppler-utils
screenshots: setup
	$(BIN)/python benchmarks/screenshots.py

# The authoring loop on the bundled curriculum: cold, no-op and one-edit builds, the plain
# mkdocs + WeasyPrint peer, serve's edit-to-visible; BENCH_ARGS="--scale 2 4" adds growth figures.
bench: setup
	$(BIN)/python benchmarks/authoring_loop.py $(BENCH_ARGS)

# Cold and warm time to render every PDF of the bundled curriculum.
bench-handouts: setup
	$(BIN)/python benchmarks/bench_handouts.py

clean:
	rm -rf build site $(VENV) .pytest_cache *.egg-info
