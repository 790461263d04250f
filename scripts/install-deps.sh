#!/bin/bash
# Installs what nixproc needs to build and to run its tests on Debian 12.
# Idempotent: packages already installed are left alone.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang-format
  nlohmann-json3-dev libcli11-dev libssl-dev libmicrohttpd-dev libgtest-dev libgmock-dev
  # models and the example system
  nix-bin nginx-light
  # tests
  curl python3 iproute2 util-linux procps passwd
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run this script as root)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]; then
  apt-get update -q
fi
apt-get install -y -q --no-install-recommends "${missing[@]}" || {
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}
# Debian starts nginx when it is installed; the examples run their own.
if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi
pkill -x nginx 2>/dev/null || true
