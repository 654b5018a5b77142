#!/usr/bin/env bash
# Installs the .deb that `make bundle` built, as a user would (dpkg -i, as root), then checks
# what got installed: the binary on PATH answers `--version` with the package's version,
# the desktop entry names it (Name, Exec, Icon, Type, Categories), its icons are in the
# hicolor theme, and dpkg resolves its dependencies. Removes the package again at the end
# (also on failure), unless it was installed before this script ran.
#
# Usage: tests/bundle.sh [DEB]   (default: the newest .deb under the release target dir)
#        `make test` runs it on a .deb of its own debug build (make test-bundle-debug);
#        `make test-bundle` on the release .deb.
# Needs: root (or sudo) and the .deb's dependencies (.ci/deps run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${ENVDECK_RELEASE_TARGET:-$HOME/.cache/envdeck/release-target}
deb=${1:-$(ls -t "$target"/release/bundle/deb/*.deb 2>/dev/null | head -n1 || true)}
[ -n "$deb" ] && [ -f "$deb" ] || { echo "bundle test: no .deb found under $target/release/bundle/deb: run 'make bundle'" >&2; exit 1; }

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
fail() { echo "bundle test: FAILED: $*" >&2; exit 1; }

pkg=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)
[ "$pkg" = envdeck ] || fail "package name is '$pkg', expected envdeck"
want_version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
[ "$version" = "$want_version" ] || fail "package version $version, Cargo.toml says $want_version"
echo "bundle test: $deb ($pkg $version, $(du -k "$deb" | cut -f1) KB)" >&2
echo "bundle test: depends: $(dpkg-deb -f "$deb" Depends)" >&2

preinstalled=0
dpkg-query -W -f='${Status}' envdeck 2>/dev/null | grep -q 'install ok installed' && preinstalled=1
cleanup() { [ "$preinstalled" = 1 ] || $sudo dpkg --purge envdeck >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

$sudo dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb (missing dependencies? run .ci/deps run)"
dpkg-query -W -f='${Status}' envdeck | grep -q 'install ok installed' || fail "envdeck is not 'install ok installed' after dpkg -i"

bin=$(dpkg -L envdeck | grep -E '/bin/envdeck$' | head -n1)
[ -n "$bin" ] && [ -x "$bin" ] || fail "no executable bin/envdeck among the package's files"
out=$(env -i PATH=/usr/bin:/bin HOME="$(mktemp -d)" "$bin" --version) || fail "$bin --version exited $?"
[ "$out" = "envdeck $version" ] || fail "$bin --version printed '$out', expected 'envdeck $version'"
echo "bundle test: $bin --version: $out" >&2

desktop=$(dpkg -L envdeck | grep -E '^/usr/share/applications/.*\.desktop$' | head -n1)
[ -n "$desktop" ] && [ -f "$desktop" ] || fail "no desktop entry in /usr/share/applications"
field() { sed -n "s/^$1=//p" "$desktop" | head -n1; }
[ "$(field Type)" = Application ] || fail "$desktop: Type=$(field Type)"
[ "$(field Name)" = envdeck ] || fail "$desktop: Name=$(field Name), expected envdeck"
exec_cmd=$(field Exec | awk '{ print $1 }')
[ "$exec_cmd" = envdeck ] || [ "$exec_cmd" = "$bin" ] || fail "$desktop: Exec=$(field Exec) does not start $bin"
command -v "$exec_cmd" >/dev/null || fail "$desktop: Exec=$exec_cmd is not on PATH"
icon=$(field Icon)
[ -n "$icon" ] || fail "$desktop: no Icon"
icons=$(dpkg -L envdeck | grep -E "^/usr/share/icons/hicolor/[0-9x@]+/apps/$icon\.png$" || true)
[ -n "$icons" ] || fail "$desktop: Icon=$icon but no /usr/share/icons/hicolor/*/apps/$icon.png installed"
echo "bundle test: $desktop: Name=$(field Name) Exec=$(field Exec) Icon=$icon Categories=$(field Categories)" >&2
echo "bundle test: icons: $(echo "$icons" | tr '\n' ' ')" >&2
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
fi

echo "bundle test: 1 passed, 0 failed"
