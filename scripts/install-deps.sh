#!/bin/bash
# Installs what nixproc needs to build and to run its tests on Debian 12.
# Idempotent: packages already installed are left alone.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang-format
  nlohmann-json3-dev libcli11-dev libssl-dev libmicrohttpd-dev libgtest-dev libgmock-dev libtinyxml2-dev
  libarchive-dev
  # models, the example systems and the process managers that run here
  nix-bin nginx-light supervisor s6 execline runit postgresql redis-server redis-tools
  apache2 tomcat10
  # the services catalogue's daemons (examples/services-agnostic, tests/services)
  mariadb-server mariadb-client openssh-server openssh-client subversion xinetd vsftpd
  influxdb influxdb-client dbus-daemon dbus-bin
  # checks of the backends whose managers cannot run here, and docker via podman
  systemd libplist-utils podman runc graphviz
  # checks of the images nixproc writes
  skopeo umoci uidmap man-db
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
# Debian starts the services it installs (nginx, supervisor, postgresql, apache2,
# redis); the tests run their own instances, so forbid that while installing
# (policy-rc.d exit 101) unless the machine has its own policy.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
fi
trap 'if [ -n "$own_policy" ]; then rm -f "$policy"; fi' EXIT
install() { apt-get install -y -q --no-install-recommends "${missing[@]}"; }
install || { apt-get update -q && install; }
for service in nginx supervisor postgresql redis-server apache2 tomcat10 mariadb ssh xinetd vsftpd influxdb; do
  if command -v service >/dev/null 2>&1; then service "$service" stop >/dev/null 2>&1 || true; fi
done
pkill -x nginx 2>/dev/null || true
