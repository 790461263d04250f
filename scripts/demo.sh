#!/bin/bash
# The main job: build and install nixproc, then deploy the example web
# application system as an unprivileged user (--force-disable-user-change,
# state in that user's home) with the default process manager, and show nginx
# answering for webapp.local. Run as root on Debian 12; run as another user it
# deploys as that user (nixproc must be built and installed already).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then
  scripts/install-deps.sh
  # Its own build dir: build/ stays the test build (scripts/test.sh), so the
  # two commands work in either order.
  scripts/build.sh build-demo -DNIXPROC_TESTS=OFF
  cmake --install build-demo >/dev/null
  user=nixproc-demo
  id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
  # The user may not be able to read this checkout (e.g. under /root).
  copy=$(mktemp /tmp/nixproc-demo-XXXXXX.sh)
  cp "$0" "$copy"
  chmod 755 "$copy"
  trap 'rm -f "$copy"' EXIT
  runuser -u "$user" -- env -C "/home/$user" bash "$copy"
  exit
fi

examples=$(dirname "$(nixproc data-dir)")/examples
state=$HOME/var
echo "deploying $examples/webapps-agnostic/processes.nix as $(id -un) into $state"
nixproc switch --state-dir "$state" --force-disable-user-change "$examples/webapps-agnostic/processes.nix"
for i in $(seq 50); do curl -s -o /dev/null http://localhost:8080 && break; sleep 0.1; done
echo
echo "$ curl -H 'Host: webapp.local' http://localhost:8080"
curl --silent --show-error --fail -H 'Host: webapp.local' http://localhost:8080
echo
nixproc status
cat <<TEXT

The system keeps running. As $(id -un):
  nixproc status                      # what runs
  nixproc switch --list-generations   # the deployments
  nixproc switch --state-dir ~/var --force-disable-user-change --undeploy   # stop it all
TEXT
