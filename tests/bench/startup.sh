#!/usr/bin/env bash
# Startup benchmark of the window: builds the release binary (the whole app, with the
# window) and, under its own Xvfb, opens it on the embedded demo workspace (a fresh data
# directory, as on a first launch) BENCH_RUNS times. Measures:
#   - first dashboard: from launch to the moment the first environment's dashboard has its
#     data, i.e. the later of the first `environment_status` and the first
#     `environment_detail` answers to the UI. envdeck logs both ("startup mark", in the log
#     file under <data dir>/logs); the script compares their timestamps with its own clock
#     taken just before the launch. Painting follows in the next frame (~16 ms).
#   - memory, after 10 s idle (last run): RSS of envdeck and of its WebKit processes
#     (WebKitWebProcess, WebKitNetworkProcess), summed as the issue measures it, and their
#     PSS (shared pages counted once), which is what the machine actually spends;
#   - the binary's size.
# Prints the figures against the targets: first dashboard <= 1 s (median of the runs),
# envdeck + WebKit RSS <= 300 MB, binary <= 20 MB.
#
# Usage: tests/bench/startup.sh
# Env:   BENCH_RUNS=3   launches (each with a fresh data directory)
#        BENCH_IDLE=10  seconds idle before memory is read
#        BENCH_BIN=F    measure this envdeck binary instead of building one
#        BENCH_SHOT=F   also save a screenshot of the screen after the idle time to F
#        (WEBKIT_* variables are passed through to the app, to try WebKit's knobs.)
# Release target dir: $HOME/.cache/envdeck/release-target (shared with `make bundle`).
# Exit:  0 all good, 1 a step failed, 2 a target was missed.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${BENCH_RUNS:-3}
idle=${BENCH_IDLE:-10}
max_first_ms=1000
max_mem_mb=300
max_size_mb=20
export CARGO_TARGET_DIR=${ENVDECK_RELEASE_TARGET:-$HOME/.cache/envdeck/release-target}
envdeck=${BENCH_BIN:-$CARGO_TARGET_DIR/release/envdeck}

if [ -z "${BENCH_BIN:-}" ]; then
  make --no-print-directory ui >&2
  echo "bench: building envdeck (release, with the window) into $CARGO_TARGET_DIR" >&2
  t_build=$(date +%s)
  cargo build --release --bin envdeck >&2
  echo "bench: build took $(($(date +%s) - t_build)) s" >&2
fi

work=$(mktemp -d /tmp/envdeck-startup.XXXXXX)
app_pid="" xvfb_pid=""
stop_app() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM -- "-$app_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$app_pid" 2>/dev/null || true
  fi
  app_pid=""
}
cleanup() {
  stop_app
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Our own X server on a free display.
Xvfb -displayfd 9 -screen 0 1920x1080x24 -nolisten tcp >"$work/xvfb.log" 2>&1 9>"$work/display" &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
[ -s "$work/display" ] || { echo "bench: Xvfb did not start" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$work/display")"

# Milliseconds from the launch (ns since the epoch, $1) to the later of the two marks in
# the log files under $2; empty while a mark is missing.
first_dashboard_ms() {
  python3 - "$1" "$2" <<'PY'
import datetime, glob, re, sys
t0 = int(sys.argv[1]) / 1e9
marks = {}
for f in glob.glob(sys.argv[2] + "/logs/*.log"):
    for line in open(f, errors="replace"):
        m = re.match(r'(\S+)\s+INFO .*startup mark what="?(\w+)', line)
        if m and m.group(2) not in marks:
            ts = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp()
            marks[m.group(2)] = ts
if {"environment_status", "environment_detail"} <= marks.keys():
    print(round((max(marks.values()) - t0) * 1000))
PY
}

# The process and its descendants: "pid comm" lines.
tree() {
  local pid=$1 child
  printf '%s %s\n' "$pid" "$(cat "/proc/$pid/comm" 2>/dev/null)"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do tree "$child"; done
}
kb() { awk -v k="$2:" '$1 == k { print $2 }' "$1" 2>/dev/null || true; }

firsts=()
for i in $(seq "$runs"); do
  data="$work/data-$i"
  mkdir -p "$data"
  t0=$(date +%s%N)
  setsid env ENVDECK_DATA_DIR="$data" "$envdeck" >"$work/app-$i.log" 2>&1 &
  app_pid=$!
  ms=""
  for _ in $(seq 300); do
    ms=$(first_dashboard_ms "$t0" "$data")
    [ -n "$ms" ] && break
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$ms" ]; then
    echo "bench: run $i: no first dashboard within 15 s" >&2
    cat "$work/app-$i.log" "$data"/logs/*.log >&2 2>/dev/null || true
    exit 1
  fi
  echo "bench: run $i: first dashboard after $ms ms" >&2
  firsts+=("$ms")
  if [ "$i" -lt "$runs" ]; then stop_app; fi
done

sleep "$idle"
[ -n "${BENCH_SHOT:-}" ] && import -display "$DISPLAY" -window root "$BENCH_SHOT" 2>/dev/null || true
echo "bench: processes after ${idle} s idle (RSS / PSS, MB):" >&2
rss_total=0 pss_total=0
while read -r pid comm; do
  case $comm in envdeck* | WebKitWebProces* | WebKitNetworkP*) ;; *) continue ;; esac
  rss=$(kb "/proc/$pid/status" VmRSS)
  pss=$(kb "/proc/$pid/smaps_rollup" Pss)
  [ -n "$rss" ] || continue
  printf '  %-22s %6d  %6d\n' "$comm" $((rss / 1024)) $((${pss:-0} / 1024)) >&2
  rss_total=$((rss_total + rss))
  pss_total=$((pss_total + ${pss:-0}))
done < <(tree "$app_pid")
stop_app

first=$(printf '%s\n' "${firsts[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
rss_mb=$((rss_total / 1024))
pss_mb=$((pss_total / 1024))
size=$(stat -c %s "$envdeck")
size_mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')

ok_first=$((first <= max_first_ms))
ok_mem=$((rss_mb <= max_mem_mb))
ok_size=$(awk -v s="$size" -v m="$max_size_mb" 'BEGIN { print (s <= m * 1048576) ? 1 : 0 }')
verdict() { if [ "$1" = 1 ]; then echo ok; else echo MISSED; fi; }
echo
echo "first dashboard (median of $runs): $first ms   (runs: ${firsts[*]})   target <= $max_first_ms ms: $(verdict "$ok_first")"
echo "envdeck + WebKit after ${idle} s idle: RSS $rss_mb MB (PSS $pss_mb MB)   target <= $max_mem_mb MB: $(verdict "$ok_mem")"
echo "binary: $size_mb MB ($size bytes)   target <= $max_size_mb MB: $(verdict "$ok_size")"
[ "$ok_first$ok_mem$ok_size" = 111 ] || exit 2
