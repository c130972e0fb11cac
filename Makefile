# Everyday commands. Each target sets up .venv itself, so a fresh clone needs only `make run`.
# The database is SQLite (db.sqlite3) unless DATABASE_URL is set in the environment.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Reinstall only when pyproject.toml changes; the stamp lives inside .venv so it goes with it.
STAMP := $(VENV)/.installed
# The translations (locale/: the admin's Chinese, docs/editing.md; the English pages,
# docs/development.md): each .mo is compiled from its .po by GNU gettext's msgfmt, and not
# committed.
TRANSLATIONS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: setup run test check clean stack stack-stop messages

setup: $(STAMP) $(TRANSLATIONS)

$(PY):
	@echo "==> Creating the virtual environment $(VENV) (a few seconds)"
	$(PYTHON) -m venv $(VENV)

# pip's own output is the progress: each package as it is fetched, then a quiet spell while
# "Installing collected packages" unpacks them.
$(STAMP): pyproject.toml | $(PY)
	@echo "==> Installing the site and its packages into $(VENV): about 45 s the first time"
	$(PY) -m pip install --disable-pip-version-check -e '.[dev]'
	touch $@
	@echo "==> $(VENV) is ready"

# compilemessages looks for locale/ folders under the current one: not in .venv or .git.
$(TRANSLATIONS): %.mo: %.po | $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: the translations need" \
		"GNU gettext (Debian/Ubuntu: apt-get install gettext)" >&2; exit 1; }
	$(PY) manage.py compilemessages --ignore '.*' --verbosity 0

# The English pages' catalogue (locale/en/, docs/development.md "English"): collects every
# marked string of the public templates and code into the .po; then fill in each new msgstr.
messages: $(STAMP)
	$(PY) manage.py makemessages -l en --add-location=file --no-obsolete \
		--ignore '.*' --ignore 'templates/admin/*' --ignore 'templates/simple_history/*' \
		--ignore 'plan/editing/*' --ignore 'plan/importer/*' --ignore 'tests/*' --ignore 'bench/*'

# Absolute links (canonical, og:url, citations, the sitemap) name the address being served,
# unless SITE_URL is set.
run: export SITE_URL ?= http://$(ADDR)
run: $(STAMP) $(TRANSLATIONS)
	@echo "==> Creating or updating the database and loading the plan (a few seconds)"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loadplan
	$(PY) manage.py loadsynonyms
	@echo "==> Serving http://$(ADDR)/ (Ctrl-C stops it)"
	$(PY) manage.py runserver $(ADDR)

# In parallel (pytest-xdist): one test database per worker; tests handed out one at a time, the
# slow ones first, a module marked xdist_group kept on one worker.
# pytest exits 5 when it collects nothing; we always have tests, so say so plainly.
TEST_WORKERS ?= auto
test: $(STAMP) $(TRANSLATIONS)
	@rc=0; $(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist loadgroup $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5)" >&2; fi; \
	exit $$rc

check: $(STAMP) $(TRANSLATIONS)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loadplan
	$(PY) manage.py loadsynonyms
	$(PY) manage.py checkplan

# The production stack on loopback (config/stack/, docs/operating.md "The stack"): PostgreSQL 15,
# Redis, two gunicorn app servers and Varnish, their data and logs under .stack/.
stack: $(STAMP) $(TRANSLATIONS)
	$(PY) -m config.stack start

stack-stop:
	@if [ -x $(PY) ]; then $(PY) -m config.stack stop; else python3 -m config.stack stop; fi

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles/ artifacts/ .pytest_cache/ .ruff_cache/ *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +

# The benchmark (bench/run.py, explained in bench/README.md): the production server on
# loopback, driven by wrk; writes bench/RESULTS.md. `make bench-quick` for a few minutes' check
# while iterating; `make bench BENCH_ARGS="--seconds 1"` runs all of it with 1-second wrk runs.
BENCH_ARGS ?=
.PHONY: bench bench-quick bench-stack
bench: $(STAMP)
	$(PY) -m bench.run $(BENCH_ARGS)

bench-quick: $(STAMP)
	$(PY) -m bench.run --quick $(BENCH_ARGS)

# The production stack (make stack's components, in a throwaway folder) under wrk at 64 and 512
# connections: writes bench/RESULTS-stack.md (about 2 minutes).
bench-stack: $(STAMP)
	$(PY) -m bench.stack $(BENCH_ARGS)

# The Nu Html Checker for tests/views/test_html_validity.py (skipped without it): the npm package
# vnu-jar, pinned, into .ci/vnu/ (ignored by git). Its install script would download a JDK;
# the system's Java 17+ runs the jar instead.
VNU_VERSION := 26.9.27
VNU_STAMP := .ci/vnu/.installed-$(VNU_VERSION)
.PHONY: vnu
vnu: $(VNU_STAMP)

$(VNU_STAMP):
	@echo "==> Installing the Nu Html Checker (npm vnu-jar $(VNU_VERSION), a 32 MB jar)"
	rm -rf .ci/vnu
	npm install --prefix .ci/vnu --no-save --no-package-lock --ignore-scripts --no-audit \
		--no-fund vnu-jar@$(VNU_VERSION)
	touch $@
