# CoNet — the two commands are `make run` and `make test`; each sets up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: compiled run test test-browser lint format bench demo messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

compiled: $(STAMP)
	$(BIN)/conet compilemessages

## Set up, migrate, load the CoNet demo and serve it on http://127.0.0.1:8000
# Served as people will see it (CoNet's own error pages) over plain HTTP on this machine;
# `make run DEBUG=1` shows Django's debug pages instead.
DEBUG ?= 0
run: compiled
	$(BIN)/conet migrate --no-input
	$(BIN)/conet demo
	CONET_LOCAL_HTTP=1 DEBUG=$(DEBUG) $(BIN)/conet serve --host $(HOST) --port $(PORT)

## The whole suite (browser tests skip when Chromium is missing, except in CI)
test: compiled
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: compiled
	$(BIN)/conet migrate --no-input
	$(BIN)/conet demo

## Measure the public pages under 20 concurrent clients; writes bench/results/
bench: compiled
	$(BIN)/python bench/http_pages.py

## Refresh the .po files from the source (needs GNU gettext)
# Apps with a locale/ folder of their own keep their own catalogue; the project catalogue
# (conet/locale) holds the rest.
LANGUAGES := de it fr bg ro nl pl sv es
APP_CATALOGUES := $(notdir $(patsubst %/locale,%,$(wildcard conet/*/locale)))
MAKEMESSAGES = makemessages --no-obsolete --no-location $(foreach l,$(LANGUAGES),--locale $(l))

## Update the translation catalogues from the source (then translate the new entries)
messages: $(STAMP)
	cd conet && ../$(BIN)/conet $(MAKEMESSAGES) $(foreach a,$(APP_CATALOGUES),--ignore ./$(a))
	for app in $(APP_CATALOGUES); do \
	  (cd conet/$$app && ../../$(BIN)/conet $(MAKEMESSAGES)) || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache
