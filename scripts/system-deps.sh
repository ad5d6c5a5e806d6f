#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the app needs, only those that are missing.
# Python 3.11+ with venv, the zbar library (pyzbar), a CJK font (Chinese UI and receipts), and the
# shared libraries Qt's offscreen, xcb and EGL platform plugins load at run time.
# `system-deps.sh test` adds what only the tests need: a PostgreSQL server, so the reference backend's
# tests also run against PostgreSQL (a throwaway cluster per test session), not only SQLite.
set -eu

packages=(
  python3 python3-venv
  libzbar0
  fonts-noto-cjk
  libgl1 libegl1 libopengl0 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0
  libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
  libxrender1 libxi6 libsm6 libice6 libasound2 libpulse0
)
if [ "${1:-}" = test ]; then
  packages+=(postgresql)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: not a Debian/Ubuntu system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "system-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "system-deps: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
