#!/usr/bin/env bash
# Throwaway Redis + PostgreSQL 15 on loopback for CI, as root, no systemd.
# Usage: .ci/services.sh start|stop   (start prints DATABASE_URL and CELERY_BROKER_URL)
set -euo pipefail
BASE=${BASE:-${TMPDIR:-/tmp}/ci-services}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${PGPORT:-55432}
REDIS_PORT=${REDIS_PORT:-56379}
case "${1:-start}" in
start)
  if ! command -v redis-server >/dev/null; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server
  fi
  mkdir -p "$BASE/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$BASE/redis" \
    --pidfile "$BASE/redis/redis.pid" --logfile "$BASE/redis/redis.log" --save "" --appendonly no
  for i in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  redis-cli -p "$REDIS_PORT" ping

  if [ ! -x "$PGBIN/initdb" ]; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  fi
  rm -rf "$BASE/pg"
  id postgres >/dev/null 2>&1 || useradd --system --create-home --shell /bin/bash postgres
  install -d -o postgres -g postgres -m 700 "$BASE/pg"      # parent dirs must be o+x
  runuser -u postgres -- "$PGBIN/initdb" -D "$BASE/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$BASE/pg/data" -l "$BASE/pg/server.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $BASE/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres diary
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/diary"
  echo "CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0"
  ;;
stop)
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$BASE/pg/data" -m fast -w stop || true
  [ -f "$BASE/redis/redis.pid" ] && kill "$(cat "$BASE/redis/redis.pid")" || true
  ;;
esac
