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
# TLS: a throwaway certificate authority, the server's certificate signed by it for localhost
# and 127.0.0.1, and a second authority that signed nothing (the catalog's sslmode tests).
tls() { openssl "$@" > /dev/null 2>&1 || { echo "with-postgres.sh: openssl $1 failed" >&2; exit 1; }; }
tls req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Strata test CA" -keyout "$folder/ca.key" -out "$folder/ca.crt"
tls req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Another CA" -keyout "$folder/other-ca.key" -out "$folder/other-ca.crt"
tls req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$folder/server.key" -out "$folder/server.csr"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$folder/server.ext"
tls x509 -req -in "$folder/server.csr" -CA "$folder/ca.crt" -CAkey "$folder/ca.key" -CAcreateserial -days 2 \
  -extfile "$folder/server.ext" -out "$folder/server.crt"
chmod 600 "$folder/server.key"
[ "$(id -u)" = 0 ] && chown postgres "$folder/server.key" "$folder/server.crt"
as_owner "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
  -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c max_connections=200 -c ssl=on -c ssl_cert_file=$folder/server.crt -c ssl_key_file=$folder/server.key" start > /dev/null || {
  cat "$folder/server.log" >&2
  exit 1
}
export STRATA_TEST_POSTGRES="postgres://strata@127.0.0.1:$port/postgres"
export STRATA_TEST_POSTGRES_CA="$folder/ca.crt" STRATA_TEST_POSTGRES_OTHER_CA="$folder/other-ca.crt"
echo "with-postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $STRATA_TEST_POSTGRES"
"$@"
