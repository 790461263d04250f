#!/bin/bash
# Runs one integration test in its own PID and network namespace when the
# machine allows it: when the test ends, the kernel kills every process left
# in the namespace, and the test's ports cannot collide with anything else.
# Without namespaces the test runs as is and relies on its own cleanup.
script=$1
if [ "$(id -u)" = 0 ] && [ -z "${NIXPROC_NO_NAMESPACES:-}" ] &&
  unshare --pid --fork --kill-child --mount-proc --net true 2>/dev/null; then
  exec unshare --pid --fork --kill-child --mount-proc --net \
    bash -c 'ip link set lo up && exec bash "$1"' isolated "$script"
fi
exec bash "$script"
