#!/usr/bin/env bash
# Makes sure MariaDB (or MySQL) and Redis answer for the test suite, on a fresh Debian/Ubuntu
# machine or a prepared one:
#   - installs mariadb-server, redis-server and tzdata with apt-get when absent (as root);
#   - initialises an empty MariaDB data directory and starts both servers as their own users;
#   - creates the suite's own account for TCP (TEST_DB_USER/TEST_DB_PASSWORD, default
#     agm_test/agm_test) through an administrator connection: root over the unix socket (stock
#     Debian), else root over TCP without a password (a prepared developer machine);
#   - loads the time zone tables (Django's date lookups need CONVERT_TZ) or fails loudly.
# `--install-only` installs the packages and stops: a machine that will test without network.
# Without root it only checks, and says exactly what is missing.
set -euo pipefail

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-3306}
REDIS_PORT=${REDIS_PORT:-6379}
TEST_DB_USER=${TEST_DB_USER:-agm_test}
TEST_DB_PASSWORD=${TEST_DB_PASSWORD:-agm_test}

say() { echo "services: $*"; }
fail() { echo "services: $*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() {
  local name=$1 host=$2 port=$3 log=${4:-}
  for _ in $(seq 1 120); do
    port_open "$host" "$port" && return 0
    sleep 0.5
  done
  [ -n "$log" ] && [ -f "$log" ] && tail -n 20 "$log" >&2
  fail "$name did not start on $host:$port"
}

mariadbd_bin() { command -v mariadbd || { [ -x /usr/sbin/mariadbd ] && echo /usr/sbin/mariadbd; } || command -v mysqld || true; }

install_only=""
[ "${1:-}" = --install-only ] && install_only=yes
# A server already answering needs no package, unless we are preparing a machine for later.
running() { [ -z "$install_only" ] && port_open "$@"; }
missing=()
[ -n "$(mariadbd_bin)" ] || running "$DB_HOST" "$DB_PORT" || missing+=(mariadb-server)
command -v redis-server >/dev/null 2>&1 || running 127.0.0.1 "$REDIS_PORT" || missing+=(redis-server)
[ -d /usr/share/zoneinfo/Africa ] || missing+=(tzdata)
if [ ${#missing[@]} -gt 0 ]; then
  is_root || fail "missing ${missing[*]}: install them (sudo apt-get install ${missing[*]}) or point DB_HOST/DB_PORT and REDIS_URL at running servers"
  say "installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -n "$install_only" ] && exit 0

# --- MariaDB ---------------------------------------------------------------------------------
if ! port_open "$DB_HOST" "$DB_PORT"; then
  is_root || fail "MariaDB is not running on $DB_HOST:$DB_PORT (start it, or run this as root)"
  daemon=$(mariadbd_bin)
  datadir=/var/lib/mysql
  if [ ! -d "$datadir/mysql" ]; then
    say "initialising the MariaDB data directory $datadir"
    install=$(command -v mariadb-install-db || command -v mysql_install_db)
    "$install" --user=mysql --datadir="$datadir" --auth-root-authentication-method=socket >/dev/null
  fi
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  say "starting MariaDB as the mysql user"
  # Stock Debian leaves `user = mysql` commented out and mariadbd refuses to run as root.
  # A pid file of our own: --exec would match any mariadbd on the machine (another root's too).
  start-stop-daemon --start --oknodo --background --pidfile /run/mysqld/agm-services.pid \
    --make-pidfile --startas "$daemon" -- \
    --user=mysql --datadir="$datadir" --bind-address=127.0.0.1 --port="$DB_PORT" \
    --log-error=/var/log/mysql-agm.log
  wait_for MariaDB "$DB_HOST" "$DB_PORT" /var/log/mysql-agm.log
fi

client=$(command -v mariadb || command -v mysql || true)
[ -n "$client" ] || fail "no mariadb/mysql client found to prepare the test account"
as_admin() {
  if "$client" -uroot -Nse "SELECT 1" >/dev/null 2>&1; then
    "$client" -uroot "$@"
  elif "$client" -h "$DB_HOST" -P "$DB_PORT" -uroot -Nse "SELECT 1" >/dev/null 2>&1; then
    "$client" -h "$DB_HOST" -P "$DB_PORT" -uroot "$@"
  else
    return 99
  fi
}
as_test_user() { "$client" -h "$DB_HOST" -P "$DB_PORT" -u"$TEST_DB_USER" -p"$TEST_DB_PASSWORD" "$@"; }

if ! as_test_user -Nse "SELECT 1" >/dev/null 2>&1; then
  say "creating the test account '$TEST_DB_USER' for TCP"
  # Each run creates and drops its own databases (test_agm_<run>, plus the schema-comparison
  # ones), so the account may create any database but is only reachable from this machine.
  as_admin <<SQL || fail "cannot reach MariaDB as an administrator (root over the unix socket or TCP) to create '$TEST_DB_USER'; create it yourself: CREATE USER '$TEST_DB_USER'@'127.0.0.1' IDENTIFIED BY '…'; GRANT ALL ON *.* TO it; then set TEST_DB_USER/TEST_DB_PASSWORD"
CREATE USER IF NOT EXISTS '$TEST_DB_USER'@'127.0.0.1' IDENTIFIED BY '$TEST_DB_PASSWORD';
CREATE USER IF NOT EXISTS '$TEST_DB_USER'@'localhost' IDENTIFIED BY '$TEST_DB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$TEST_DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$TEST_DB_USER'@'localhost';
SQL
  as_test_user -Nse "SELECT 1" >/dev/null || fail "the test account '$TEST_DB_USER' was created but cannot log in over TCP"
fi

zones=$(as_test_user -Nse "SELECT COUNT(*) FROM mysql.time_zone_name")
if [ "$zones" = 0 ]; then
  say "loading the time zone tables into MariaDB"
  tzinfo=$(command -v mariadb-tzinfo-to-sql || command -v mysql_tzinfo_to_sql) || fail "no mariadb-tzinfo-to-sql to load time zones"
  "$tzinfo" /usr/share/zoneinfo 2>/dev/null | as_test_user mysql ||
    fail "loading the time zone tables failed"
  zones=$(as_test_user -Nse "SELECT COUNT(*) FROM mysql.time_zone_name")
fi
[ "$zones" -gt 0 ] || fail "MariaDB has no time zone tables; Django's date lookups would return NULL"
as_test_user -Nse "SELECT CONVERT_TZ('2026-01-01 00:00:00', 'UTC', 'Africa/Lagos')" | grep -q '2026-01-01 01:00:00' ||
  fail "MariaDB cannot convert to Africa/Lagos: the time zone tables are incomplete"

# --- Redis -----------------------------------------------------------------------------------
if ! port_open 127.0.0.1 "$REDIS_PORT"; then
  is_root || fail "Redis is not running on 127.0.0.1:$REDIS_PORT (start it, or run this as root)"
  say "starting Redis"
  options=(--daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no)
  if id redis >/dev/null 2>&1; then
    mkdir -p /var/lib/redis && chown redis:redis /var/lib/redis
    runuser -u redis -- redis-server "${options[@]}" --dir /var/lib/redis
  else
    redis-server "${options[@]}"
  fi
  wait_for Redis 127.0.0.1 "$REDIS_PORT"
fi
say "MariaDB on $DB_HOST:$DB_PORT (account $TEST_DB_USER) and Redis on 127.0.0.1:$REDIS_PORT are up"
