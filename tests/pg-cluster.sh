# Sourced by tests/run-suite.sh and tests/bench/*.sh: a throwaway PostgreSQL cluster on a
# free loopback port, password auth over TCP, trust over its private socket directory.
#
#   pg_cluster_start WORKDIR [postgres -c settings...]   sets PG_BIN, PG_PORT, PG_PASSWORD,
#                                                        PG_SOCKET, PG_ADMIN_URL
#   pg_cluster_stop                                      stops it (call from a trap)
#   as_pg CMD...                                         runs CMD as `postgres` when root
#                                                        (initdb refuses to run as root)

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_cluster_start() {
  local work=$1; shift
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries not found: run 'make deps'" >&2; return 1; }
  PG_DATA="$work/pg/data"
  PG_SOCKET="$work/pg"
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  PG_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  mkdir -p "$work/pg"
  chmod 755 "$work"
  printf '%s\n' "$PG_PASSWORD" > "$work/pg/pwfile"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$work/pg"; fi
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$work/pg/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 >"$work/pg/initdb.log" 2>&1 \
    || { cat "$work/pg/initdb.log" >&2; return 1; }
  local opts="-p $PG_PORT -k $PG_SOCKET -c listen_addresses=127.0.0.1 -c fsync=off"
  local s
  for s in "$@"; do opts="$opts -c $s"; done
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$work/pg/server.log" -w -o "$opts" start >/dev/null
  PG_ADMIN_URL="postgres://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres"
}

pg_cluster_stop() {
  [ -n "${PG_DATA:-}" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
}
