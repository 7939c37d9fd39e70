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
run: compiled
	$(BIN)/conet migrate --no-input
	$(BIN)/conet demo
	DEBUG=$${DEBUG-1} $(BIN)/conet serve --host $(HOST) --port $(PORT)

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
messages: $(STAMP)
	cd conet && ../$(BIN)/conet makemessages --no-obsolete --no-location \
	  $(foreach l,de it fr bg ro nl pl sv es,--locale $(l))

clean:
	rm -rf $(VENV) var .pytest_cache
