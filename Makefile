# Lotse: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
LOTSE := $(BIN)/lotse
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev assets static migrate demo lint typecheck pytest messages compilemessages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

# The stamp files make repeated runs fast: they are rebuilt only when the pins change.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/lock.txt
	$(BIN)/pip install --quiet -c requirements/lock.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements/lock.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	rm -rf assets && mkdir -p assets/kern assets/htmx assets/axe
	cp -r node_modules/@kern-ux/native/dist/kern.min.css node_modules/@kern-ux/native/dist/fonts assets/kern/
	cp node_modules/htmx.org/dist/htmx.min.js assets/htmx/
	cp node_modules/axe-core/axe.min.js assets/axe/

compilemessages: install
	$(LOTSE) compile_translations

static: install assets compilemessages
	$(LOTSE) collectstatic --noinput --verbosity 0

migrate: install
	mkdir -p var
	$(LOTSE) migrate --noinput --verbosity 0

demo: migrate
	$(LOTSE) demo

# The web server, the background worker (mail, reminders) and the scheduler: one command,
# Ctrl+C stops all three (lotse.notifications.management.commands.run). The demo's e-mails go to
# var/demo.log; the logins are printed last, where a newcomer sees them.
# Links in the demo's mails and the sign-in hint point at the address served here.
run: export LOTSE_SITE_URL ?= http://$(HOST):$(PORT)
run: static migrate
	@$(LOTSE) demo > var/demo.log 2>&1 || { cat var/demo.log; exit 1; }
	@echo "The demo's e-mails (console mail backend): var/demo.log"
	@echo
	@sed -n '/^Demo world ready/,$$p' var/demo.log
	@echo
	@echo "Lotse runs on http://$(HOST):$(PORT)/ with its worker (stop with Ctrl+C)"
	@$(LOTSE) run $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install-dev
	$(BIN)/mypy src

pytest: install-dev assets compilemessages
	$(BIN)/python -m pytest

test: lint typecheck pytest

# Extract new strings of every app into its German catalogue; translate them, then commit.
messages: install
	for app in $$(ls -d src/lotse/*/ | xargs -n1 basename); do \
	  if [ -f src/lotse/$$app/apps.py ]; then \
	    (cd src/lotse/$$app && mkdir -p locale && ../../../$(LOTSE) makemessages -l de --no-obsolete --no-location --ignore=tests >/dev/null); \
	  fi; \
	done

clean:
	rm -rf $(VENV) node_modules assets staticfiles var
