# Two commands from a clean clone: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CATALOGS := $(patsubst %.po,%.mo,$(wildcard bot/locales/*/LC_MESSAGES/runback.po))

.PHONY: install demo run test lint typecheck bench migrate clean catalogs

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# a language's compiled catalog, rebuilt when its .po changes
%.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

install: $(STAMP) $(CATALOGS)

demo: $(STAMP) $(CATALOGS)
	$(BIN)/runback demo

run: $(STAMP) $(CATALOGS)
	$(BIN)/runback run

migrate: $(STAMP) $(CATALOGS)
	$(BIN)/runback migrate

test: $(STAMP) $(CATALOGS)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(STAMP) $(CATALOGS)
	$(BIN)/runback bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Extract every user-facing template into the catalog template, merge it into each language, compile.
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _fixed -k count:2,3 -k t -k gettext -k ngettext:1,2 \
		--no-location --sort-output --omit-header -o bot/locales/runback.pot .
	$(BIN)/pybabel update -i bot/locales/runback.pot -d bot/locales -D runback --width 120 --ignore-obsolete
	$(BIN)/pybabel compile -d bot/locales -D runback
