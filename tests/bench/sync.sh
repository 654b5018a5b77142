#!/usr/bin/env bash
# Benchmark of `envdeck sync plan` + `envdeck sync apply` against the hand-written floor.
#
# A throwaway PostgreSQL cluster holds two databases: `src` (dev) with N customers and N
# customer notes (one per customer; notes keyed by [customer_id, created_at], so every
# note's foreign key must be remapped through its customer's email), and `dst` (prod) with
# the same schema and 1,000 other customers, so surrogate ids differ between the two. Every
# run starts from a fresh copy of `dst` (CREATE DATABASE … TEMPLATE).
#
#   envdeck: sync plan --from dev --to prod --table customer_notes --all-missing
#            --with-parents -o plan.json, then sync apply plan.json --confirm prod
#            --fingerprint FP (end to end: two processes, both read both databases; the
#            apply plans again inside its transaction, journals, and compares again)
#   floor:   psql \copy of both tables out of src into files, then into dst in one
#            transaction: \copy into temp tables, INSERT … SELECT … ON CONFLICT DO NOTHING
#            for customers, then the notes joined to the customers' natural key.
#
# The two alternate, BENCH_RUNS timed runs each after one warm-up. Prints every run, the
# medians, rows/s, the ratio, and envdeck's peak RSS (the larger of plan and apply) against
# the targets: ratio <= 2 (aim 1.5), peak RSS <= 200 MB. Checks after every run that dst
# holds exactly the expected rows, the notes attached to the right customers.
#
# Usage: tests/bench/sync.sh
# Env:   BENCH_RUNS=5      timed runs per side
#        BENCH_ROWS=100000 customers (and notes) missing in the target
# Exit:  0 all good, 1 a step failed or the target is wrong, 2 a target was missed.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${BENCH_RUNS:-5}
rows=${BENCH_ROWS:-100000}
max_ratio=2
max_rss_mb=200
cache=$HOME/.cache/envdeck
export CARGO_TARGET_DIR=$cache/bench-target
envdeck=$CARGO_TARGET_DIR/release/envdeck

[ -x /usr/bin/time ] || {
  echo "bench: /usr/bin/time is missing; installing the 'time' package" >&2
  apt-get install -y time >/dev/null
}
echo "bench: building envdeck (release, CLI only) into $CARGO_TARGET_DIR" >&2
cargo build --release --no-default-features --bin envdeck >&2

. tests/pg-cluster.sh
work=$(mktemp -d /tmp/envdeck-bench.XXXXXX)
cleanup() { pg_cluster_stop; rm -rf "$work"; }
trap cleanup EXIT INT TERM
export ENVDECK_DATA_DIR="$work/envdeck-data"
pg_cluster_start "$work" shared_buffers=256MB
pgbin=$PG_BIN port=$PG_PORT pw=$PG_PASSWORD
pg_version=$("$pgbin/postgres" --version | awk '{print $3}')
psql() { as_pg "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$port" -U postgres "$@"; }

schema="
CREATE TABLE customers (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  plan text NOT NULL DEFAULT 'free',
  stripe_customer_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE customer_notes (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  created_at timestamptz NOT NULL,
  body text NOT NULL,
  UNIQUE (customer_id, created_at)
);"
echo "bench: generating $rows customers and $rows notes in src" >&2
t0=$(date +%s)
psql -d postgres -c "CREATE DATABASE src" -c "CREATE DATABASE dst_template"
psql -d src <<SQL
$schema
ALTER SEQUENCE customers_id_seq RESTART WITH 500000;
INSERT INTO customers (email, name, plan, stripe_customer_id, created_at)
SELECT 'user' || g || '@example.com', 'Customer ' || substr(md5(g::text), 1, 12),
       (ARRAY['free', 'pro', 'team'])[1 + g % 3], 'cus_' || substr(md5((g * 7)::text), 1, 14),
       timestamptz '2025-01-01 00:00:00+00' + g * interval '61 seconds'
FROM generate_series(1, $rows) AS g;
INSERT INTO customer_notes (customer_id, created_at, body)
SELECT c.id, c.created_at + interval '1 hour',
       'Called about ' || c.plan || ' plan; follow up ' || substr(md5(c.email), 1, 20)
FROM customers c;
VACUUM ANALYZE;
SQL
psql -d dst_template <<SQL
$schema
INSERT INTO customers (email, name)
SELECT 'prod' || g || '@example.com', 'Prod customer ' || g FROM generate_series(1, 1000) AS g;
VACUUM ANALYZE;
SQL
echo "bench: data ready in $(( $(date +%s) - t0 )) s" >&2
# psql runs as `postgres` (tests/pg-cluster.sh): its \copy files live in a folder it owns.
csv=$work/csv
mkdir -p "$csv"
[ "$(id -u)" = 0 ] && chown postgres "$csv"

ws=$work/ws
mkdir -p "$ws"
cat >"$ws/envdeck.toml" <<TOML
name = "bench"
[environments.dev]
kind = "development"
database = { env = "BENCH_DEV_URL" }
[environments.prod]
kind = "production"
database = { env = "BENCH_PROD_URL" }
[[tables]]
table = "customers"
key = ["email"]
never_copy = ["stripe_customer_id"]
[[tables]]
table = "customer_notes"
key = ["customer_id", "created_at"]
TOML
export BENCH_DEV_URL="postgresql://postgres:$pw@127.0.0.1:$port/src"
export BENCH_PROD_URL="postgresql://postgres:$pw@127.0.0.1:$port/dst"

reset_dst() {
  psql -d postgres -c "DROP DATABASE IF EXISTS dst" -c "CREATE DATABASE dst TEMPLATE dst_template"
}

check_dst() { # who -> fails unless dst has exactly the expected rows, notes on the right customers
  local got
  got=$(psql -d dst -At -F' ' -c "
    SELECT (SELECT count(*) FROM customers),
           (SELECT count(*) FROM customer_notes n JOIN customers c ON c.id = n.customer_id
             WHERE n.created_at = c.created_at + interval '1 hour'
               AND n.body LIKE 'Called about ' || c.plan || ' plan; follow up ' || substr(md5(c.email), 1, 20)),
           (SELECT count(*) FROM customers WHERE stripe_customer_id IS NOT NULL)")
  local want="$(( rows + 1000 )) $rows 0"
  if [ "$got" != "$want" ]; then
    echo "bench: $1 left dst wrong: customers, notes matched, stripe ids = $got (want $want)" >&2
    exit 1
  fi
}

floor_sql="
BEGIN;
CREATE TEMP TABLE t_customers (email text, name text, plan text, created_at text) ON COMMIT DROP;
CREATE TEMP TABLE t_notes (email text, created_at text, body text) ON COMMIT DROP;
\\copy t_customers FROM '$csv/customers.csv' WITH (FORMAT csv)
\\copy t_notes FROM '$csv/notes.csv' WITH (FORMAT csv)
INSERT INTO customers (email, name, plan, created_at)
SELECT email, name, plan, created_at::timestamptz FROM t_customers
ON CONFLICT DO NOTHING;
INSERT INTO customer_notes (customer_id, created_at, body)
SELECT c.id, n.created_at::timestamptz, n.body FROM t_notes n JOIN customers c ON c.email = n.email
ON CONFLICT DO NOTHING;
COMMIT;"

run_floor() {
  psql -d src -c "\\copy (SELECT email, name, plan, created_at FROM customers) TO '$csv/customers.csv' WITH (FORMAT csv)" \
    -c "\\copy (SELECT c.email, n.created_at, n.body FROM customer_notes n JOIN customers c ON c.id = n.customer_id) TO '$csv/notes.csv' WITH (FORMAT csv)"
  psql -d dst <<<"$floor_sql"
}

mask() { sed "s/$pw/****/g"; }

timed() { # side run
  local side=$1 run=$2 t_start t_end rss=0
  reset_dst
  t_start=$(date +%s.%N)
  if [ "$side" = envdeck ]; then
    /usr/bin/time -f '%e %M' -o "$work/rss.plan" "$envdeck" --workspace "$ws/envdeck.toml" sync plan \
      --from dev --to prod --table customer_notes --all-missing --with-parents --json \
      -o "$work/plan.json" >"$work/plan.out" 2>"$work/plan.err" \
      || { echo "bench: sync plan failed:" >&2; mask <"$work/plan.err" >&2; exit 1; }
    local fp
    fp=$(grep -o '"fingerprint":"[0-9a-f]*"' "$work/plan.json" | tail -n 1 | cut -d'"' -f4)
    /usr/bin/time -f '%e %M' -o "$work/rss.apply" "$envdeck" --workspace "$ws/envdeck.toml" sync apply \
      "$work/plan.json" --confirm prod --fingerprint "$fp" --json >"$work/apply.out" 2>"$work/apply.err" \
      || { echo "bench: sync apply failed:" >&2; mask <"$work/apply.err" >&2; mask <"$work/apply.out" >&2; exit 1; }
    t_end=$(date +%s.%N)
    read -r plan_s plan_kb <"$work/rss.plan"
    read -r apply_s apply_kb <"$work/rss.apply"
    rss=$(( plan_kb > apply_kb ? plan_kb : apply_kb ))
    echo "bench:   plan $plan_s s $(( plan_kb / 1024 )) MB, apply $apply_s s $(( apply_kb / 1024 )) MB" >&2
    # envdeck's time is its two commands' (the fingerprint read in between is the script's).
    t_start=0 t_end=$(python3 -c "print($plan_s + $apply_s)")
  else
    run_floor
    t_end=$(date +%s.%N)
  fi
  check_dst "$side"
  local secs
  secs=$(python3 -c "print(f'{$t_end - $t_start:.2f}')")
  echo "bench: $side run $run: $secs s, peak RSS $(( rss / 1024 )) MB" >&2
  [ "$run" = 0 ] || echo "$side $run $secs $rss" >>"$work/runs.tsv"
}

echo
echo "sync benchmark: $rows customers + $rows notes missing in prod (notes' foreign keys remapped through the customers' email)"
echo "machine:  $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM"
echo "postgres: $pg_version on 127.0.0.1:$port, fsync=off shared_buffers=256MB"
echo "envdeck:  sync plan --all-missing --with-parents -o plan.json; sync apply plan.json --confirm prod --fingerprint FP (release, CLI only)"
echo "floor:    psql \\copy out of src, \\copy into temp tables in dst, INSERT … SELECT … ON CONFLICT DO NOTHING, notes joined on email"
echo "runs:     1 untimed warm-up each, then $runs timed runs each, alternating; dst recreated from a template before every run"
echo
: >"$work/runs.tsv"
timed envdeck 0
timed floor 0
for i in $(seq 1 "$runs"); do
  timed envdeck "$i"
  timed floor "$i"
done
python3 - "$work/runs.tsv" "$(( 2 * rows ))" "$max_ratio" "$max_rss_mb" <<'PY'
import statistics, sys
path, total, max_ratio, max_rss = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
runs = {"envdeck": [], "floor": []}
rss = []
for line in open(path):
    side, run, secs, kb = line.split()
    runs[side].append(float(secs))
    if side == "envdeck":
        rss.append(int(kb) / 1024)
e, f = statistics.median(runs["envdeck"]), statistics.median(runs["floor"])
ratio = e / f
peak = max(rss)
print(f"{'':10}{'median s':>10}{'rows/s':>10}   runs")
for side, med in (("envdeck", e), ("floor", f)):
    print(f"{side:10}{med:>10.2f}{total / med:>10,.0f}   " + " ".join(f"{s:.2f}" for s in runs[side]))
ok_ratio = ratio <= max_ratio
ok_rss = peak <= max_rss
print(f"ratio     envdeck / floor = {ratio:.2f}x   (target <= {max_ratio:g}x, aim 1.5x)  {'ok' if ok_ratio else 'MISSED'}")
print(f"memory    envdeck peak RSS {peak:.0f} MB   (target <= {max_rss:g} MB)  {'ok' if ok_rss else 'MISSED'}")
sys.exit(0 if ok_ratio and ok_rss else 2)
PY
