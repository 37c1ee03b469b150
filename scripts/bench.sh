#!/usr/bin/env bash
# make bench [BENCH_WORKS=100000]: generate (once) an archive of that many works in its own
# PostgreSQL database, then time the search view on it. The database is kept for later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
WORKS="${1:-100000}"
PGHOST_URL="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
DB="bench_${WORKS}"
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-bench-only-secret}"
export DATABASE_URL="${PGHOST_URL}/${DB}"
PY=.venv/bin/python

if ! psql "${PGHOST_URL}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '${DB}'" | grep -q 1; then
    psql "${PGHOST_URL}/postgres" -qc "CREATE DATABASE ${DB}"
fi
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0  # production-like: hashed static files, DEBUG off
if [ "$($PY manage.py shell -c 'from archive.stories.models import Story; print(Story.objects.count())' | tail -n1)" = "0" ]; then
    echo "Generating ${WORKS} works into ${DB} (once; later runs reuse it)..."
    $PY manage.py generate_archive --works "${WORKS}" --seed 1
fi
$PY manage.py bench_search --runs "${BENCH_RUNS:-30}"
