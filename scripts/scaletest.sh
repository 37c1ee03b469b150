#!/usr/bin/env bash
# make scaletest: the production layout of deploy/ on this machine, under load, with failures.
#
# Everything runs on 127.0.0.1 from one temporary folder, removed at the end with every process
# started here (on success, failure or Ctrl-C):
#   - a PostgreSQL primary of its own (initdb, port 25432) and a streaming replica made from it with
#     pg_basebackup -R (port 25433); the system's cluster on 5432 is not touched;
#   - Redis databases 11 (cache, sessions) and 12 (Celery broker) on the machine's Redis, flushed
#     at the start and the end;
#   - a small generated archive, plus one work with 10,000 subscribers (scripts/scaletest.py prepare);
#   - two gunicorn "hosts" (gunicorn.conf.py, WEB_CONCURRENCY=2 each), nginx in front with
#     deploy/nginx/archive.conf rendered for them, and a Celery worker, all with the same settings;
#   - then scripts/scaletest.py load (mixed reads and writes through nginx; one host is killed,
#     then the replica stopped, midway) and check (writes, e-mails, the table).
# The exit status is non-zero if any requirement fails. Settings: SCALETEST_SECONDS (60),
# SCALETEST_CLIENTS (12), SCALETEST_WORKS (2000), SCALETEST_PORT_BASE (25432: the primary; the
# replica is +1, the gunicorn hosts +10 and +11, nginx +20), SCALETEST_KEEP=1 keeps the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
SECONDS_TOTAL="${SCALETEST_SECONDS:-60}"
CLIENTS="${SCALETEST_CLIENTS:-12}"
WORKS="${SCALETEST_WORKS:-2000}"
# Below the kernel's range of ports for outgoing connections (32768-60999 here): a port in it may be
# some client's end of a connection (to Redis, say) at any moment, and then no server can bind it.
BASE="${SCALETEST_PORT_BASE:-25432}"
PRIMARY_PORT=$BASE
REPLICA_PORT=$((BASE + 1))
HOST_PORTS=($((BASE + 10)) $((BASE + 11)))
NGINX_PORT=$((BASE + 20))
REDIS_CACHE_DB=11
REDIS_BROKER_DB=12

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { log "error: $*" >&2; exit 1; }

[ -x "$PY" ] || die "no virtualenv at .venv: run make install-dev first"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || die "PostgreSQL's server programs not found in /usr/lib/postgresql/*/bin"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || die "nginx not found (apt-get install nginx)"
command -v redis-cli >/dev/null || die "redis-cli not found"
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || die "Redis does not answer at 127.0.0.1:6379"
for port in "$PRIMARY_PORT" "$REPLICA_PORT" "${HOST_PORTS[@]}" "$NGINX_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port is in use (another scaletest? set SCALETEST_PORT_BASE)"
    fi
done

# PostgreSQL's programs refuse to run as root: as root, they run as the postgres user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

TMP="$(mktemp -d /tmp/scaletest.XXXXXX)"
chmod 755 "$TMP"
GROUPS_FILE="$TMP/process-groups"
: >"$GROUPS_FILE"

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    log "Cleaning up (every process started here, Redis databases $REDIS_CACHE_DB and $REDIS_BROKER_DB, $TMP)"
    # Each process was started in a session of its own: its whole group goes (gunicorn's workers,
    # Celery's children, nginx's workers).
    while read -r group; do
        kill -TERM -- "-$group" 2>/dev/null || true
    done <"$GROUPS_FILE"
    for dir in "$TMP/replica" "$TMP/primary"; do
        [ -f "$dir/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    done
    sleep 1
    while read -r group; do
        kill -KILL -- "-$group" 2>/dev/null || true
    done <"$GROUPS_FILE"
    redis-cli -h 127.0.0.1 -n "$REDIS_CACHE_DB" flushdb >/dev/null 2>&1 || true
    redis-cli -h 127.0.0.1 -n "$REDIS_BROKER_DB" flushdb >/dev/null 2>&1 || true
    if [ "${SCALETEST_KEEP:-0}" = 1 ]; then
        log "Kept $TMP (SCALETEST_KEEP=1)"
    else
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME COMMAND...: in the background, in a session of its own, output to $TMP/NAME.log;
# the pid (= its process group) is kept for the cleanup and in $TMP/NAME.pid.
start() {
    local name=$1
    shift
    setsid "$@" >"$TMP/$name.log" 2>&1 </dev/null &
    echo $! >>"$GROUPS_FILE"
    echo $! >"$TMP/$name.pid"
    disown  # killed on purpose: no "Killed" notice from the shell
}

# wait_for WHAT SECONDS COMMAND...: until COMMAND succeeds, or give up with WHAT's log.
wait_for() {
    local what=$1 limit=$2
    shift 2
    local deadline=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || die "$what did not come up within ${limit}s (logs in $TMP, kept: SCALETEST_KEEP=1 to look)"
        sleep 0.5
    done
}

redis-cli -h 127.0.0.1 -n "$REDIS_CACHE_DB" flushdb >/dev/null
redis-cli -h 127.0.0.1 -n "$REDIS_BROKER_DB" flushdb >/dev/null

# Start the server in $TMP/$1 on port $2; if it won't start, say why (its log) before giving up.
start_pg() {
    if ! as_pg "$PGBIN/pg_ctl" -D "$TMP/$1" -o "-p $2" -l "$TMP/sockets/$1.log" -w -t 60 start >/dev/null; then
        tail -n 20 "$TMP/sockets/$1.log" >&2 || true
        die "PostgreSQL's $1 would not start on port $2 (its log is above)"
    fi
}

log "PostgreSQL primary on $PRIMARY_PORT ($PGBIN)"
mkdir -p "$TMP/primary" "$TMP/replica" "$TMP/sockets"
chmod 700 "$TMP/primary" "$TMP/replica"
if [ "$(id -u)" = 0 ]; then
    chown postgres "$TMP/primary" "$TMP/replica" "$TMP/sockets"
fi
as_pg "$PGBIN/initdb" -D "$TMP/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$TMP/initdb.log"
cat >>"$TMP/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$TMP/sockets'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
full_page_writes = off
max_connections = 100
EOF
cat >"$TMP/primary/pg_hba.conf" <<EOF
local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
EOF
start_pg primary "$PRIMARY_PORT"
PRIMARY="postgres://postgres@127.0.0.1:$PRIMARY_PORT"
psql "$PRIMARY/postgres" -qc "CREATE DATABASE archive" >/dev/null

export DJANGO_SECRET_KEY=scaletest-only-secret
export DATABASE_URL="$PRIMARY/archive"
export REDIS_URL="redis://127.0.0.1:6379/$REDIS_CACHE_DB"
export CELERY_BROKER_URL="redis://127.0.0.1:6379/$REDIS_BROKER_DB"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_BEHIND_PROXY=1
export DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
export EMAIL_FILE_PATH="$TMP/emails"
export ARCHIVE_SITE_URL="http://127.0.0.1:$NGINX_PORT"
export DJANGO_LOG_LEVEL=WARNING
mkdir -p "$EMAIL_FILE_PATH"
# settings.py reads no EMAIL_FILE_PATH: a settings module of this run's own sets it (and nothing else).
printf 'import os\n\nfrom config.settings import *  # noqa: F403\n\nEMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]\n' \
    >"$TMP/scaletest_settings.py"
export PYTHONPATH="$TMP${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE=scaletest_settings

log "Migrating and loading a small archive ($WORKS works) and a work with 10,000 subscribers"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py generate_archive --works "$WORKS" --seed 1 -v0
"$PY" scripts/scaletest.py prepare --clients "$CLIENTS" --out "$TMP/targets.json"

log "Streaming replica on $REPLICA_PORT (pg_basebackup -R)"
as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$TMP/replica" -R -X stream -c fast
start_pg replica "$REPLICA_PORT"
REPLICA="postgres://postgres@127.0.0.1:$REPLICA_PORT"
[ "$(psql "$REPLICA/archive" -tAc 'SELECT pg_is_in_recovery()')" = t ] || die "the replica is not in recovery"
export DATABASE_REPLICA_URLS="$REPLICA/archive"

log "Two gunicorn hosts on ${HOST_PORTS[*]}, a Celery worker, nginx on $NGINX_PORT"
for index in 0 1; do
    port=${HOST_PORTS[$index]}
    WEB_CONCURRENCY=2 GUNICORN_BIND="127.0.0.1:$port" GUNICORN_ACCESS_LOG="$TMP/host$((index + 1))-access.log" \
        start "host$((index + 1))" "$ROOT/.venv/bin/gunicorn" --config gunicorn.conf.py config.wsgi
done
start worker "$ROOT/.venv/bin/celery" -A config worker --loglevel=INFO --concurrency=2 --without-gossip --without-mingle
for port in "${HOST_PORTS[@]}"; do
    wait_for "gunicorn on $port" 60 curl -fsS "http://127.0.0.1:$port/healthz"
done

mkdir -p "$TMP/nginx/logs" "$TMP/nginx/cache"
SERVERS=""
for port in "${HOST_PORTS[@]}"; do
    SERVERS+="server 127.0.0.1:$port max_fails=1 fail_timeout=10s; "
done
# The template's own lines only (its comments name the placeholders).
grep -v '^[[:space:]]*#' deploy/nginx/archive.conf |
    sed -e "s|{{LISTEN}}|127.0.0.1:$NGINX_PORT|g" -e "s|{{SERVER_NAME}}|127.0.0.1|g" -e "s|{{APP_SERVERS}}|$SERVERS|g" \
        -e "s|{{STATIC_ROOT}}|$ROOT/staticfiles|g" -e "s|{{CACHE_PATH}}|$TMP/nginx/cache|g" >"$TMP/nginx/archive.conf"
if grep -q '{{' "$TMP/nginx/archive.conf"; then
    die "a placeholder of deploy/nginx/archive.conf was left unfilled"
fi
# As root, nginx's workers run as `nobody`: the folders they write must let them.
if [ "$(id -u)" = 0 ]; then
    chmod -R 777 "$TMP/nginx"
fi
cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    access_log $TMP/nginx/logs/access.log;
    client_body_temp_path $TMP/nginx/client_body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    include $TMP/nginx/archive.conf;
}
EOF
"$NGINX" -t -q -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" || die "nginx refused the rendered configuration"
start nginx "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf"
wait_for "nginx on $NGINX_PORT" 20 curl -fsS "http://127.0.0.1:$NGINX_PORT/healthz"
wait_for "the Celery worker" 60 grep -q "ready" "$TMP/worker.log"

log "Load through nginx for ${SECONDS_TOTAL}s with $CLIENTS clients; host 2 killed, then the replica stopped, midway"
status=0
"$PY" scripts/scaletest.py load --targets "$TMP/targets.json" --out "$TMP/load.json" \
    --base "http://127.0.0.1:$NGINX_PORT" --seconds "$SECONDS_TOTAL" --clients "$CLIENTS" \
    --kill-group "$(cat "$TMP/host2.pid")" \
    --replica-stop "$( [ "$(id -u)" = 0 ] && echo "runuser -u postgres -- ")$PGBIN/pg_ctl -D $TMP/replica -m immediate -w stop" \
    --replica "$REPLICA/archive" --primary "$PRIMARY/archive" || status=$?
[ "$status" = 0 ] || die "the load driver failed (status $status)"

log "Checking writes, the 10,000-subscriber chapter and its e-mails"
"$PY" scripts/scaletest.py check --targets "$TMP/targets.json" --load "$TMP/load.json" \
    --base "http://127.0.0.1:$NGINX_PORT" --access-logs "$TMP/host1-access.log" "$TMP/host2-access.log" \
    --emails "$EMAIL_FILE_PATH" --out "$ROOT/docs/scaletest-results.json"
