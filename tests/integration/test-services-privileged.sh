#!/bin/bash
# The services example deployed as root with users (nixproc creates them;
# PostgreSQL, Redis and the webapps run as their own) with every runnable
# backend; see services.sh. Accounts this test created are removed again.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
  echo "skipped: needs root"
  exit 77
fi
mode=privileged
. "$(dirname "$0")/services.sh"
finish
