# linli — the two commands of the README, and a few helpers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test setup assets lint format messages schema bench clean-demo

$(STAMP): requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

setup: $(STAMP) node_modules/.package-lock.json

assets: node_modules/.package-lock.json

## make demo: set everything up, load the synthetic demo sub-district and serve it with its worker.
demo: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo
	@echo "linli is at http://$(HOST):$(PORT)/ (Ctrl-C stops the web server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py worker & \
	  $(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite on SQLite (set DATABASE_URL for PostgreSQL).
test: setup
	$(PY) -m pytest -n 2 --dist loadfile

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=. $(VENV)/bin/lint-imports

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: setup
	cd linli && ../$(PY) ../manage.py makemessages -l zh_Hans -l en --no-obsolete --no-location
	cd linli && ../$(PY) ../manage.py compilemessages

schema: setup
	$(PY) manage.py export_openapi > docs/openapi.json

clean-demo:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
