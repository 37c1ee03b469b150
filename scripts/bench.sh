#!/usr/bin/env bash
# make bench [BENCH_WORKS=100000]: generate (once) an archive of that many works in its own
# PostgreSQL database (scripts/bench_archive.sh), then time the search view on it. The database
# is kept for later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
WORKS="${1:-100000}"
scripts/bench_archive.sh "${WORKS}"
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-bench-only-secret}"
export DATABASE_URL="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}/bench_${WORKS}"
.venv/bin/python manage.py bench_search --runs "${BENCH_RUNS:-30}"
