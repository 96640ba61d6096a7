#!/usr/bin/env bash
# Makes sure the servers the store tests use answer: PostgreSQL
# (127.0.0.1:5432), MariaDB/MySQL (127.0.0.1:3306) and Redis
# (127.0.0.1:6379). A server that does not answer is started with the
# machine's own command; one that still does not answer fails the script.
# The tests read BIZAPI_TEST_POSTGRES_URL, BIZAPI_TEST_MYSQL_URL and
# BIZAPI_TEST_REDIS_URL, with those addresses as defaults.
#
#   bash scripts/services.sh          # check, start what is down
set -uo pipefail

up() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_up() { # name host port
  for _ in $(seq 1 30); do
    up "$2" "$3" && return 0
    sleep 1
  done
  return 1
}

start_postgres() {
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  fi
}
start_mysql() {
  if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  fi
}
start_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
  fi
}

status=0
for s in "postgres 127.0.0.1 5432" "mysql 127.0.0.1 3306" "redis 127.0.0.1 6379"; do
  set -- $s
  if up "$2" "$3"; then
    echo "services: $1 answers on $2:$3"
    continue
  fi
  echo "services: $1 does not answer on $2:$3; starting it"
  "start_$1" >/dev/null 2>&1 || true
  if wait_up "$1" "$2" "$3"; then
    echo "services: $1 started"
  else
    echo "services: $1 still does not answer on $2:$3" >&2
    status=1
  fi
done
exit $status
