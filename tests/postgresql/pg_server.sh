#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: its own cluster in a temporary
# directory, run as an unprivileged user, listening only on 127.0.0.1 on a
# free port (and on a socket in its directory), password authentication
# (SCRAM) over TCP.
#
#   pg_server.sh start STATE_FILE   initdb, start, create role and database ctml;
#                                   STATE_FILE gets shell assignments:
#                                   CTML_PG_URL, CTML_PG_PORT, CTML_PG_DIR, CTML_PG_BIN
#   pg_server.sh stop STATE_FILE    stop the server and remove its directory
#
# The role ctml (password in CTML_PG_URL) may create databases, so a test can
# give each case a fresh one.
set -euo pipefail
action=$1 state=$2
password=ctml-test-secret

pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  echo "pg_server.sh: no PostgreSQL server binaries (Debian package postgresql)" >&2
  exit 2
}

# initdb and postgres refuse to run as root: run them as the postgres user (Debian's package creates it).
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case $action in
  start)
    bin=$(pg_bin)
    dir=$(mktemp -d /tmp/ctml-postgresql.XXXXXX)
    chmod 755 "$dir"  # mktemp's 700 would keep the server user out
    mkdir -p "$dir/data" "$dir/sock"
    echo "$password" >"$dir/superuser-password"
    [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$dir"
    as_server_user "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --pwfile="$dir/superuser-password" --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 2; }
    port=""
    for attempt in 1 2 3 4 5; do  # a free port can be taken between the check and the bind
      port=$(free_port)
      if as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
          -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60" start >/dev/null; then
        break
      fi
      echo "pg_server.sh: start on port $port failed (attempt $attempt)" >&2
      port=""
    done
    [ -n "$port" ] || { cat "$dir/server.log" >&2; exit 2; }
    as_server_user "$bin/psql" -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$port" -U postgres -d postgres \
      -c "CREATE ROLE ctml LOGIN CREATEDB PASSWORD '$password'" -c "CREATE DATABASE ctml OWNER ctml" >/dev/null
    cat >"$state" <<EOF
CTML_PG_URL=postgresql://ctml:$password@127.0.0.1:$port/ctml
CTML_PG_PORT=$port
CTML_PG_DIR=$dir
CTML_PG_BIN=$bin
EOF
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
    ;;
  stop)
    [ -f "$state" ] || exit 0
    # shellcheck disable=SC1090
    source "$state"
    as_server_user "$CTML_PG_BIN/pg_ctl" -D "$CTML_PG_DIR/data" -m fast -w stop >/dev/null || true
    rm -rf "$CTML_PG_DIR" "$state"
    ;;
  *)
    echo "usage: pg_server.sh start|stop STATE_FILE" >&2
    exit 2
    ;;
esac
