#!/usr/bin/env bash
# Benchmark of `envdeck check --area schema` against migra (PyPI `migra`), issue 11 § 3.
#
# Applies tests/bench/schema-migrations.sql — the 160 migrations of a Prisma-style
# e-signing product (65 tables, enums, varchar(n)/numeric(p,s)/jsonb/array columns,
# unique and partial indexes, foreign keys with ON DELETE actions, check constraints,
# plpgsql functions, triggers, views and a materialized view, row-level security with
# policies, a publication, pg_trgm with gin indexes) — in full to database dev and
# without the last 12 to database prod of a throwaway PostgreSQL cluster. Then runs each
# tool once to warm up and BENCH_RUNS times each, alternating, checks that every run
# reports the planted differences (envdeck: exactly the 28 expected findings; migra: the
# statements for the same differences), and prints the runs, both medians, their ratio and
# the peak RSS of each against the target (envdeck median under 1 s).
#
# The cluster is started like tests/run-suite.sh does (initdb as `postgres`, a free loopback
# port, password auth over TCP, fsync=off) with wal_level=logical (for the publication), and
# always torn down. envdeck is built in release, CLI only, into
# $HOME/.cache/envdeck/bench-target; migra is installed with pinned versions into the venv
# $HOME/.cache/envdeck/bench-migra-venv. Both are reused when present.
#
# Usage: tests/bench/schema.sh
# Env:   BENCH_RUNS=5   timed runs per tool
# Exit:  0 all good, 1 a tool missed a planted difference or a step failed, 2 the target
#        was missed.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/bench

runs=${BENCH_RUNS:-5}
pending=12
max_seconds=1
cache=$HOME/.cache/envdeck
venv=$cache/bench-migra-venv
export CARGO_TARGET_DIR=$cache/bench-target
envdeck=$CARGO_TARGET_DIR/release/envdeck
# migra 3.0 has had no release since 2022: it needs SQLAlchemy 1.4 (sqlbag's create_engine
# picks psycopg 3 under SQLAlchemy 2) and pkg_resources (setuptools < 81).
migra_pins=(migra==3.0.1663481299 schemainspect==3.1.1663587362 sqlbag==0.1.1617247075
  SQLAlchemy==1.4.54 psycopg2-binary==2.9.13 'setuptools<81')

[ -x /usr/bin/time ] || {
  echo "bench: /usr/bin/time is missing; installing the 'time' package" >&2
  apt-get install -y time >/dev/null
}

echo "bench: building envdeck (release, CLI only) into $CARGO_TARGET_DIR" >&2
cargo build --release --no-default-features --bin envdeck >&2

if [ ! -x "$venv/bin/migra" ] || ! "$venv/bin/python" -c 'import sqlalchemy, sys; sys.exit(sqlalchemy.__version__ >= "2")' 2>/dev/null; then
  echo "bench: installing migra into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "${migra_pins[@]}"
fi
migra_version=$("$venv/bin/pip" show migra 2>/dev/null | awk '/^Version:/ {print $2}')
sqla_version=$("$venv/bin/pip" show SQLAlchemy 2>/dev/null | awk '/^Version:/ {print $2}')

# --- throwaway PostgreSQL cluster (tests/pg-cluster.sh, as the test suite uses) ---
. tests/pg-cluster.sh
work=$(mktemp -d /tmp/envdeck-bench.XXXXXX)
cleanup() { pg_cluster_stop; rm -rf "$work"; }
trap cleanup EXIT INT TERM
export ENVDECK_DATA_DIR="$work/envdeck-data"
pg_cluster_start "$work" wal_level=logical
pgbin=$PG_BIN port=$PG_PORT pw=$PG_PASSWORD
pg_version=$("$pgbin/postgres" --version | awk '{print $3}')
psql() { as_pg "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$port" -U postgres "$@"; }

# --- schema: all migrations on dev, all but the last $pending on prod ---
sql=$here/schema-migrations.sql
total=$(grep -c '^-- migration ' "$sql")
cut=$(grep '^-- migration ' "$sql" | sed -n "$(( total - pending + 1 ))p")
t0=$(date +%s)
psql -d postgres -c "CREATE ROLE app_user NOLOGIN" -c "CREATE ROLE app_admin NOLOGIN" \
  -c "CREATE DATABASE dev" -c "CREATE DATABASE prod"
psql -d dev <"$sql"
awk -v cut="$cut" '$0 == cut {exit} {print}' "$sql" | psql -d prod
for db in dev prod; do psql -d "$db" -c "ANALYZE"; done
echo "bench: $total migrations on dev, $(( total - pending )) on prod, in $(( $(date +%s) - t0 )) s" >&2

# What each database holds, as the README reports it (tables, columns, …).
sizes() {
  psql -d "$1" -At -F' ' <<'SQL'
SELECT
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r'),
  (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped),
  (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'),
  (SELECT count(*) FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
    WHERE n.nspname = 'public' AND con.contype = 'f'),
  (SELECT count(*) FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
    WHERE n.nspname = 'public' AND con.contype = 'c'),
  (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typtype = 'e'),
  (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')),
  (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal),
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'v'),
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'm'),
  (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relrowsecurity),
  (SELECT count(*) FROM pg_policies WHERE schemaname = 'public'),
  (SELECT count(*) FROM pg_publication_tables),
  (SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension);
SQL
}
describe() {
  read -r t c i f ck e fn tg v m rls pol pub ext <<<"$(sizes "$1")"
  echo "$t tables, $c columns, $i indexes, $f foreign keys, $ck check constraints, $e enum types,"
  echo "          $fn functions, $tg triggers, $v views + $m materialized, RLS on $rls tables with"
  echo "          $pol policies, $pub tables in a publication, extensions $ext"
}

# --- the tools ---
cat >"$work/envdeck.toml" <<'TOML'
name = "schema-bench"

[environments.dev]
kind = "development"
database = { env = "BENCH_DEV_DATABASE_URL" }

[environments.prod]
kind = "production"
database = { env = "BENCH_PROD_DATABASE_URL" }
TOML
export BENCH_DEV_DATABASE_URL="postgresql://postgres:$pw@127.0.0.1:$port/dev"
export BENCH_PROD_DATABASE_URL="postgresql://postgres:$pw@127.0.0.1:$port/prod"
envdeck_cmd=("$envdeck" --workspace "$work/envdeck.toml" check --from dev --to prod --area schema --json)
migra_cmd=("$venv/bin/migra" --unsafe "$BENCH_PROD_DATABASE_URL" "$BENCH_DEV_DATABASE_URL")

mask() { sed "s/$pw/****/g"; }
echo
echo "schema benchmark: $total migrations on dev, the last $pending of them missing on prod"
echo "machine:  $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "postgres: $pg_version on 127.0.0.1:$port (fsync=off, wal_level=logical, otherwise defaults)"
echo "dev:      $(describe dev)"
echo "prod:     $(describe prod)"
echo "envdeck:  envdeck check --from dev --to prod --area schema --json"
echo "          (release build, CLI only; dev and prod are BENCH_*_DATABASE_URL in a workspace file)"
echo "migra:    $migra_version (SQLAlchemy $sqla_version): $(printf '%q ' "${migra_cmd[@]}" | mask)"
echo "runs:     1 untimed warm-up each, then $runs timed runs each, alternating"
echo

timed() { # tool run -> appends a line to runs.tsv (run 0 = warm-up, not recorded)
  local tool=$1 run=$2 out=$work/$1.out rc=0 start end
  local -a cmd expect
  if [ "$tool" = envdeck ]; then
    cmd=("${envdeck_cmd[@]}") expect=(2 3)  # drift (2) or critical (3)
  else
    cmd=("${migra_cmd[@]}") expect=(2)      # 2 = differences found
  fi
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/time.txt" "${cmd[@]}" >"$out" 2>"$work/$tool.err" || rc=$?
  end=$(date +%s%N)
  if [[ " ${expect[*]} " != *" $rc "* ]]; then
    echo "bench: $tool exited $rc (expected ${expect[*]}):" >&2
    mask <"$work/$tool.err" >&2
    mask <"$out" | head -50 >&2
    exit 1
  fi
  local verdict
  verdict=$(python3 "$here/schema_report.py" check "$tool" "$out") \
    || { echo "bench: $tool run $run did not report the planted differences:" >&2; echo "$verdict" >&2; exit 1; }
  local secs rss
  secs=$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.3f", (e - s) / 1e9}')
  rss=$(tail -n 1 "$work/time.txt")
  echo "bench: $tool run $run: $secs s, $(( rss / 1024 )) MB, exit $rc, $verdict" >&2
  [ "$run" = 0 ] || echo "$tool $run $secs $rss $rc" >>"$work/runs.tsv"
}

: >"$work/runs.tsv"
timed envdeck 0
timed migra 0
for i in $(seq 1 "$runs"); do
  timed envdeck "$i"
  timed migra "$i"
done
echo "envdeck:  $(python3 "$here/schema_report.py" check envdeck "$work/envdeck.out") (exit 2: drift)"
echo "migra:    $(python3 "$here/schema_report.py" check migra "$work/migra.out") (exit 2: differences)"
echo
set +e
python3 "$here/schema_report.py" report "$work/runs.tsv" "$max_seconds"
rc=$?
set -e
exit $rc
