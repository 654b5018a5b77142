#!/usr/bin/env bash
# Runs the whole test suite against real parts it starts itself and always tears down:
#  - a throwaway PostgreSQL cluster on a free loopback port (password auth over TCP);
#  - a private D-Bus session with an unlocked gnome-keyring-daemon, so keychain tests use
#    the real Secret Service and never the user's own keychain.
# Usage: tests/run-suite.sh [cargo test args...]   (e.g. --test integration postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/pg-cluster.sh

work=$(mktemp -d /tmp/envdeck-suite.XXXXXX)
cleanup() { pg_cluster_stop; rm -rf "$work"; }
trap cleanup EXIT INT TERM

pg_cluster_start "$work" max_connections=200 log_connections=on
echo "run-suite: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2
export ENVDECK_TEST_PG="$PG_ADMIN_URL"
export ENVDECK_TEST_PG_SOCKET="$PG_SOCKET"
export ENVDECK_TEST_PG_LOG="$work/pg/server.log"

# The keyring runs inside its own bus; the script below starts and stops it.
dbus-run-session -- bash tests/with-keyring.sh cargo test "$@"
