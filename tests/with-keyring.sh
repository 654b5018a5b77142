#!/usr/bin/env bash
# Inside a private `dbus-run-session`: start an unlocked gnome-keyring-daemon (Secret
# Service) with its own data folders, wait for it on the bus, run the command, stop it.
set -uo pipefail
kr=$(mktemp -d /tmp/envdeck-keyring.XXXXXX)
mkdir -p "$kr/data" "$kr/runtime"
chmod 700 "$kr/runtime"
export XDG_DATA_HOME="$kr/data" XDG_RUNTIME_DIR="$kr/runtime"
printf 'envdeck-test-keyring\n' | gnome-keyring-daemon --unlock --components=secrets --foreground >"$kr/daemon.log" 2>&1 &
kpid=$!
ready=0
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
       org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    ready=1; break
  fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "with-keyring: gnome-keyring-daemon did not appear on the bus" >&2
  cat "$kr/daemon.log" >&2
  kill "$kpid" 2>/dev/null; rm -rf "$kr"; exit 1
fi
echo "with-keyring: Secret Service up on a private bus" >&2
export ENVDECK_TEST_KEYRING=1
"$@"
rc=$?
kill "$kpid" 2>/dev/null
wait "$kpid" 2>/dev/null
rm -rf "$kr"
exit $rc
