#!/usr/bin/env bash
# Runs the whole test suite against real parts it starts itself and always tears down:
#  - a throwaway PostgreSQL cluster on a free loopback port (password auth over TCP);
#  - a private D-Bus session with an unlocked gnome-keyring-daemon, so keychain tests use
#    the real Secret Service and never the user's own keychain.
# Usage: tests/run-suite.sh [cargo test args...]   (e.g. --test integration postgres)
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d /tmp/envdeck-suite.XXXXXX)
chmod 755 "$work"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found: run 'make deps'" >&2; exit 1; }

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
mkdir -p "$work/pg"
printf '%s\n' "$pw" > "$work/pg/pwfile"
[ "$(id -u)" = 0 ] && chown -R postgres "$work/pg"
as_pg "$pgbin/initdb" -D "$work/pg/data" -U postgres --pwfile="$work/pg/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; exit 1; }
as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
  -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
echo "run-suite: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
export ENVDECK_TEST_PG="postgres://postgres:$pw@127.0.0.1:$port/postgres"

# The keyring runs inside its own bus; the script below starts and stops it.
dbus-run-session -- bash tests/with-keyring.sh cargo test "$@"
