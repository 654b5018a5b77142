#!/usr/bin/env bash
# Benchmark of `envdeck table-diff` against reladiff (PyPI `reladiff[postgresql]`).
#
# Builds two 1,000,000-row tables `items` in two databases (a and b) of a throwaway
# PostgreSQL cluster, with b differing from a in 0.1 % of rows (333 deletes, 333 updates of
# one column, 334 inserts, spread evenly over the key range), then runs both tools
# alternately on them BENCH_RUNS times, checks that every run reports the expected counts,
# and prints the runs, both medians, their ratio and envdeck's peak RSS against the targets
# (envdeck >= 4x faster than reladiff, peak RSS <= 100 MB).
#
# The cluster is started like tests/run-suite.sh does (initdb as `postgres`, a free loopback
# port, password auth over TCP, fsync=off) with shared_buffers=256MB, and always torn down.
# envdeck is built in release, CLI only, into $HOME/.cache/envdeck/bench-target; reladiff
# is installed into the venv $HOME/.cache/envdeck/bench-venv. Both are reused when present.
#
# Usage: tests/bench/table-diff.sh
# Env:   BENCH_RUNS=5        timed runs per tool
#        BENCH_ROWS=1000000  rows in table a (the differences stay at 0.1 %)
# Exit:  0 all good, 1 counts disagree or a step failed, 2 a target was missed.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/bench

runs=${BENCH_RUNS:-5}
rows=${BENCH_ROWS:-1000000}
min_ratio=4
max_rss_mb=100
cache=$HOME/.cache/envdeck
venv=$cache/bench-venv
export CARGO_TARGET_DIR=$cache/bench-target
envdeck=$CARGO_TARGET_DIR/release/envdeck

[ -x /usr/bin/time ] || {
  echo "bench: /usr/bin/time is missing; installing the 'time' package" >&2
  apt-get install -y time >/dev/null
}

echo "bench: building envdeck (release, CLI only) into $CARGO_TARGET_DIR" >&2
cargo build --release --no-default-features --bin envdeck >&2

if [ ! -x "$venv/bin/reladiff" ]; then
  echo "bench: installing reladiff[postgresql] into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'reladiff[postgresql]' \
    || "$venv/bin/pip" install -q reladiff psycopg2-binary
fi
reladiff_version=$("$venv/bin/pip" show reladiff 2>/dev/null | awk '/^Version:/ {print $2}')

# --- throwaway PostgreSQL cluster (tests/pg-cluster.sh, as the test suite uses) ---
. tests/pg-cluster.sh
work=$(mktemp -d /tmp/envdeck-bench.XXXXXX)
cleanup() { pg_cluster_stop; rm -rf "$work"; }
trap cleanup EXIT INT TERM
# envdeck's logs and state for these runs stay in the throwaway folder.
export ENVDECK_DATA_DIR="$work/envdeck-data"
pg_settings="fsync=off shared_buffers=256MB (everything else default: work_mem 4MB, max_parallel_workers_per_gather 2, jit on)"
pg_cluster_start "$work" shared_buffers=256MB
pgbin=$PG_BIN port=$PG_PORT pw=$PG_PASSWORD
pg_version=$("$pgbin/postgres" --version | awk '{print $3}')
psql() { as_pg "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$port" -U postgres "$@"; }

# --- data ---
# Deterministic: every value derives from the id. b = a minus n deletes, n one-column
# updates (rotating over name, amount, status, created_at, payload), plus the rest of the
# 0.1 % as new ids past the end.
n=$(( rows / 3000 ))
exp_a=$n
exp_changed=$n
exp_b=$(( rows / 1000 - 2 * n ))
echo "bench: generating $rows rows in database a (takes a while)" >&2
t0=$(date +%s)
psql -d postgres -c "CREATE DATABASE a"
psql -d a <<SQL
CREATE TABLE items (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  email text,
  amount numeric(12,2),
  status text,
  created_at timestamptz,
  payload jsonb
);
INSERT INTO items
SELECT g,
       'customer ' || substr(md5(g::text), 1, 16),
       CASE WHEN g % 17 = 0 THEN NULL ELSE 'user' || g || '@example.com' END,
       ((g * 7919) % 10000000) / 100.0,
       (ARRAY['new', 'active', 'suspended', 'closed'])[1 + g % 4],
       timestamptz '2024-01-01 00:00:00+00' + g * interval '37 seconds',
       jsonb_build_object('n', g, 'tags', jsonb_build_array('t' || g % 10, 't' || g % 7),
                          'ref', substr(md5((g * 3)::text), 1, 12))
FROM generate_series(1::bigint, $rows) AS g;
SQL
psql -d postgres -c "CHECKPOINT" -c "CREATE DATABASE b TEMPLATE a"
psql -d b <<SQL
DELETE FROM items WHERE id IN (SELECT 1000 + 3000 * k FROM generate_series(0, $n - 1) AS k);
UPDATE items SET
  name       = CASE WHEN (id - 2000) / 3000 % 5 = 0 THEN name || ' (renamed)' ELSE name END,
  amount     = CASE WHEN (id - 2000) / 3000 % 5 = 1 THEN amount + 0.01 ELSE amount END,
  status     = CASE WHEN (id - 2000) / 3000 % 5 = 2 THEN 'archived' ELSE status END,
  created_at = CASE WHEN (id - 2000) / 3000 % 5 = 3 THEN created_at + interval '1 second' ELSE created_at END,
  payload    = CASE WHEN (id - 2000) / 3000 % 5 = 4 THEN jsonb_set(payload, '{n}', to_jsonb(-id)) ELSE payload END
WHERE id IN (SELECT 2000 + 3000 * k FROM generate_series(0, $n - 1) AS k);
INSERT INTO items
SELECT id, 'customer new ' || id, 'new' || id || '@example.com', 1.00, 'new',
       timestamptz '2025-01-01 00:00:00+00', jsonb_build_object('n', id)
FROM generate_series($rows::bigint + 1, $rows + $exp_b) AS id;
SQL
for db in a b; do psql -d "$db" -c "VACUUM ANALYZE items"; done
size=$(psql -d a -At -c "SELECT pg_size_pretty(pg_total_relation_size('items'))")
echo "bench: data ready in $(( $(date +%s) - t0 )) s (items in a: $size)" >&2

url_a="postgresql://postgres:$pw@127.0.0.1:$port/a"
url_b="postgresql://postgres:$pw@127.0.0.1:$port/b"
cols=(name email amount status created_at payload)
envdeck_cmd=("$envdeck" table-diff "$url_a" "$url_b" --table items --key id
  --columns "$(IFS=,; echo "${cols[*]}")" --json)
reladiff_cmd=("$venv/bin/reladiff" "$url_a" items "$url_b" items -k id)
for c in "${cols[@]}"; do reladiff_cmd+=(-c "$c"); done
reladiff_cmd+=(--stats --json)

mask() { sed "s/$pw/****/g"; }
echo
echo "table-diff benchmark: $rows rows per side, expected only_in_a=$exp_a only_in_b=$exp_b changed=$exp_changed"
echo "machine:  $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "postgres: $pg_version on 127.0.0.1:$port, databases a and b, $pg_settings; items in a: $size"
echo "envdeck:  $(printf '%q ' "${envdeck_cmd[@]}" | mask)"
echo "          (release build, CLI only; default --limit 100 rows listed, counts exact)"
echo "reladiff: $reladiff_version: $(printf '%q ' "${reladiff_cmd[@]}" | mask)"
echo "          (defaults otherwise: algorithm auto = hashdiff across databases, 1 thread per"
echo "           database, bisection factor 32, bisection threshold 16384)"
echo "runs:     1 untimed warm-up each, then $runs timed runs each, alternating"
echo

timed() { # tool run -> appends a line to runs.tsv (run 0 = warm-up, not recorded)
  local tool=$1 run=$2 out=$work/$1.out
  local -a cmd
  if [ "$tool" = envdeck ]; then cmd=("${envdeck_cmd[@]}"); else cmd=("${reladiff_cmd[@]}"); fi
  if ! /usr/bin/time -f '%e %M' -o "$work/time.txt" "${cmd[@]}" >"$out" 2>"$work/$tool.err"; then
    echo "bench: $tool failed:" >&2
    mask <"$work/$tool.err" >&2
    mask <"$out" >&2
    exit 1
  fi
  local c
  c=$(python3 "$here/table_diff_report.py" count "$tool" "$out") \
    || { echo "bench: cannot read $tool's counts:" >&2; mask <"$out" >&2; mask <"$work/$tool.err" >&2; exit 1; }
  read -r secs rss <"$work/time.txt"
  echo "bench: $tool run $run: $secs s, $(( rss / 1024 )) MB, counts $c" >&2
  [ "$run" = 0 ] || echo "$tool $run $secs $rss $c" >>"$work/runs.tsv"
}

: >"$work/runs.tsv"
timed envdeck 0
timed reladiff 0
for i in $(seq 1 "$runs"); do
  timed envdeck "$i"
  timed reladiff "$i"
done
echo
set +e
python3 "$here/table_diff_report.py" report "$work/runs.tsv" "$exp_a" "$exp_b" "$exp_changed" \
  "$rows" "$(( rows - exp_a + exp_b ))" "$min_ratio" "$max_rss_mb"
rc=$?
set -e
exit $rc
