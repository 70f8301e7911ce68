# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint worker beat messages backup restore bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $@ $(VENV)/.installed-run

run:
	@scripts/system-deps.sh run
	@$(MAKE) --no-print-directory $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --once
	@if [ -n "$(DEMO_PHASE)" ]; then $(BIN)/python manage.py demo_phase $(DEMO_PHASE); fi
	@echo "Cổng Đoàn kết sáng tạo: http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test:
	@scripts/system-deps.sh test
	@$(MAKE) --no-print-directory $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

lint:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# With REDIS_URL set: a Celery worker and beat beside `make run`.
worker:
	$(BIN)/celery -A dksangtao worker --loglevel=INFO --concurrency=2

beat:
	$(BIN)/celery -A dksangtao beat --loglevel=INFO

# Refresh the translation catalogues (needs gettext) after changing strings.
messages:
	$(BIN)/python manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Backups (README «Sao lưu và phục hồi»): `make backup [KEEP=N]`, `make restore FROM=var/backups/dkst-…`
# (into an empty database and MEDIA_ROOT). Needs pg_dump/pg_restore on PostgreSQL.
backup:
	@scripts/system-deps.sh backup
	$(BIN)/python manage.py backup $(if $(KEEP),--keep $(KEEP))

restore:
	@test -n "$(FROM)" || { echo "Cách dùng / usage: make restore FROM=var/backups/dkst-YYYYMMDD-HHMMSS" >&2; exit 2; }
	@scripts/system-deps.sh backup
	$(BIN)/python manage.py restore "$(FROM)"

# The province-scale benchmark (README «Đo tải (benchmark)», issue #16), on PostgreSQL only: creates
# BENCH_DATABASE_URL if missing, migrates it, fills it with `bench_data` (BENCH_DOSSIERS, idempotent),
# runs the page benchmark (gunicorn + locust; BENCH_ARGS e.g. --pages "dossier,public" --duration 5),
# then the opt-in speed benchmarks of the ranking, the PDFs and the import. About 30 minutes at 100,000.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dkst_bench
BENCH_DOSSIERS     ?= 100000
BENCH_ARGS         ?=

bench:
	@$(MAKE) --no-print-directory $(VENV)/.installed-dev
	$(BIN)/python -m bench.createdb "$(BENCH_DATABASE_URL)"
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python manage.py migrate --noinput
	DATABASE_URL="$(BENCH_DATABASE_URL)" DKST_BENCH=1 $(BIN)/python manage.py bench_data --dossiers $(BENCH_DOSSIERS)
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python -m bench.run $(BENCH_ARGS)
	DATABASE_URL="$(BENCH_DATABASE_URL)" DKST_BENCH=1 $(BIN)/pytest -s -p no:cacheprovider \
		tests/awards/test_ranking_speed.py tests/reports/test_speed.py tests/submissions/test_import_speed.py
