# The two front-door commands: `make site` builds every track, `make test` runs the tests.
# Both set up what they need first: Debian packages (when missing) and a virtualenv in .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test setup system-packages schema clean

site: setup
	$(BIN)/psychoed build

test: setup
	$(BIN)/python -m pytest

setup: system-packages $(VENV)/.installed

# Debian's python3 needs python3-venv for `python3 -m venv`.
system-packages:
	@if command -v apt-get >/dev/null && ! $(PYTHON) -c "import ensurepip" 2>/dev/null; then \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

schema: setup
	$(BIN)/psychoed schema --write curriculum/schema

clean:
	rm -rf build site $(VENV) .pytest_cache
