# Two commands for a fresh machine (see README):
#   make demo   set up, load the demo city and serve it on http://127.0.0.1:8000
#               (PORT=8100 make demo serves on 8100, and its links and QR codes say so)
#   make test   set up and run the tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ENV := DEBUG=1

.PHONY: demo test install serve bench messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --quiet --upgrade pip
	$(PY) -m pip install --quiet --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# The SQLite file and the filesystem broker live under var/ (git-ignored, so a fresh
# clone has none): made before migrate opens the database and seed_demo queues tasks.
demo: install
	mkdir -p "$${VAR_DIR:-var}/broker" "$${VAR_DIR:-var}/broker-processed"
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) bash scripts/serve_embedded.sh

test: install
	mkdir -p var
	$(PY) -m pytest -n 2 --dist loadfile

bench: install
	mkdir -p var
	$(PY) -m bench

messages: install
	$(DEMO_ENV) $(PY) manage.py makemessages -l en -l zh_Hans --ignore=.venv --ignore=static/vendor --ignore=var --ignore=tests
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
