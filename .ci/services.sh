#!/usr/bin/env bash
# Makes sure MariaDB/MySQL and Redis answer on 127.0.0.1: starts them when installed,
# installs them with apt-get when absent and running as root, otherwise says what is missing.
set -euo pipefail

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-3306}
REDIS_PORT=${REDIS_PORT:-6379}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() {
  local name=$1 host=$2 port=$3
  for _ in $(seq 1 60); do
    port_open "$host" "$port" && return 0
    sleep 0.5
  done
  echo "services: $name did not start on $host:$port" >&2
  return 1
}

install_packages() {
  if [ "$(id -u)" != 0 ]; then
    echo "services: $* not installed; install them (sudo apt-get install $*) or point DB_*/REDIS_URL at running servers" >&2
    exit 1
  fi
  echo "services: installing $* with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! port_open "$DB_HOST" "$DB_PORT"; then
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ] && ! command -v mysqld >/dev/null 2>&1; then
    install_packages mariadb-server
  fi
  echo "services: starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [ -x /usr/sbin/mariadbd ]; then
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  else
    start-stop-daemon --start --oknodo --background --exec "$(command -v mysqld)"
  fi
  wait_for MariaDB "$DB_HOST" "$DB_PORT"
fi

# Django converts time zones in SQL (date filters, admin date hierarchy) with CONVERT_TZ,
# which returns NULL until the server's time zone tables are loaded.
if command -v mysql >/dev/null 2>&1 && [ -d /usr/share/zoneinfo ]; then
  zones=$(mysql -h "$DB_HOST" -P "$DB_PORT" -u "${DB_USER:-root}" ${DB_PASSWORD:+-p"$DB_PASSWORD"} -Nse \
    "SELECT COUNT(*) FROM mysql.time_zone_name" 2>/dev/null || echo skip)
  if [ "$zones" = 0 ]; then
    echo "services: loading time zone tables into MariaDB"
    tzinfo=$(command -v mariadb-tzinfo-to-sql || command -v mysql_tzinfo_to_sql)
    "$tzinfo" /usr/share/zoneinfo 2>/dev/null |
      mysql -h "$DB_HOST" -P "$DB_PORT" -u "${DB_USER:-root}" ${DB_PASSWORD:+-p"$DB_PASSWORD"} mysql
  fi
fi

if ! port_open 127.0.0.1 "$REDIS_PORT"; then
  command -v redis-server >/dev/null 2>&1 || install_packages redis-server
  echo "services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no
  wait_for Redis 127.0.0.1 "$REDIS_PORT"
fi
echo "services: MariaDB on $DB_HOST:$DB_PORT and Redis on 127.0.0.1:$REDIS_PORT are up"
