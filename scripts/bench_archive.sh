#!/usr/bin/env bash
# scripts/bench_archive.sh [WORKS]: make sure PostgreSQL database bench_<WORKS> holds a generated
# archive (generate_archive --seed 1, once; later runs reuse it), migrated, with static files
# collected. Shared by make bench and make perf.
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
