# The two commands: `make run` serves the seeded app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test test-at lint bench bench-follow clean mutate

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Python 3.11 or newer is required (found $$($(PYTHON) --version))"; exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

var:
	mkdir -p var/uploads

# The task worker (django-tasks-db's db_worker: it sends a confirmation email as soon as
# someone follows) runs beside the server and stops with it.
run: install var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_governance
	export DJANGO_DEBUG=$${DJANGO_DEBUG:-1}; \
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Threaded workers (gthread, 2 x 8 threads): a request that waits (an upload while object
# storage is slow, up to its timeouts) holds one thread, not a whole worker, so the rest of
# the site keeps answering. tests/serving.py starts gunicorn the same way.
serve: install var
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_governance
	$(BIN)/gunicorn mhhs_gov.wsgi:application --workers 2 --worker-class gthread --threads 8 \
		--bind $(HOST):$(PORT) --access-logfile - --error-logfile -

# One worker per core (pytest-xdist; the tests of one xdist_group share a worker): 3.5 to
# 4.5 minutes here on 2 cores (1,480 tests, with servers, browsers and SMTP), using 260 to
# 360 s of CPU in all.
test: install var
	$(BIN)/python -m pytest -n auto --dist loadgroup

# The suite (less the browser journeys) with the whole process's clock set to another moment
# by libfaketime (Debian's faketime), moving from there: `make test-at AT='2029-12-31 23:59:00'`.
# Monotonic time is faked too: with FAKETIME_DONT_FAKE_MONOTONIC=1, faketime 0.9.10 makes
# Python's time.sleep fail with EINVAL (its absolute clock_nanosleep is shifted).
AT ?= 2033-06-15 12:00:00
test-at: install var
	TZ=UTC faketime -f '@$(AT)' $(BIN)/python -m pytest -n auto --dist loadgroup -m "not browser" -p no:cacheprovider

lint: install var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djlint templates --check
	$(BIN)/djlint templates --lint
	! LC_ALL=C.UTF-8 grep -rnE '.{121}' templates  # no template line over 120 characters
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check --fail-level ERROR  # with changelog.E001: no signal writes the log

bench: install var
	$(BIN)/python -m tests.bench

# The daily digests of 10,000 subscriptions over 50 changes, sent to a local SMTP server.
bench-follow: install var
	$(BIN)/python -m tests.bench follow $(N)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache

# Mutation testing ([tool.mutmut] in pyproject.toml): the rule modules, the change log, the
# page cache and the JSON. Slow (hours on 2 cores): run by hand, in the background. A fresh run
# each time (mutants/ is mutmut's working copy), then the score line; timeouts apart from kills.
# MUTANTS narrows the run to some modules' mutants, by mutmut's names:
#   make mutate MUTANTS='changelog.* operations.* groups.api.* records.api.* representation.api.*'
MUTANTS ?=
mutate: install var
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 $(MUTANTS)
	$(BIN)/mutmut results --all true | $(BIN)/python tests/mutation_score.py --fail-under 90 $(MUTANTS)
