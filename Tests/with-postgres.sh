#!/bin/sh
# Runs a command beside a throwaway PostgreSQL server: initdb into a temporary folder, pg_ctl
# on a free loopback port, the command with STRATA_TEST_POSTGRES=postgres://…, then the server
# stopped and its folder removed, whatever the command's outcome.
#
# Usage: Tests/with-postgres.sh COMMAND [ARGS...]
# Needs Debian's postgresql package (`make deps` installs it). PostgreSQL refuses to run as
# root, so as root the server runs as the `postgres` user the package creates.
set -eu

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with-postgres.sh: no PostgreSQL server found under /usr/lib/postgresql; install Debian's postgresql package (make deps)" >&2
  exit 2
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

folder=$(mktemp -d /tmp/strata-postgres.XXXXXX)
chmod 755 "$folder"
[ "$(id -u)" = 0 ] && chown postgres "$folder"
# A free port: bind port 0 and keep the number the kernel picked.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
  as_owner "$bin/pg_ctl" -D "$folder/data" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$folder"
}
trap stop EXIT INT TERM

as_owner "$bin/initdb" -D "$folder/data" -U strata --auth=trust --encoding=UTF8 --no-locale > "$folder/initdb.log" 2>&1 || {
  cat "$folder/initdb.log" >&2
  exit 1
}
as_owner "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
  -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c max_connections=200" start > /dev/null || {
  cat "$folder/server.log" >&2
  exit 1
}
export STRATA_TEST_POSTGRES="postgres://strata@127.0.0.1:$port/postgres"
echo "with-postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $STRATA_TEST_POSTGRES"
"$@"
