#!/bin/bash
# The services example deployed unprivileged (--force-disable-user-change)
# with every runnable backend; see services.sh.
. "$(dirname "$0")/lib.sh"
mode=unprivileged
. "$(dirname "$0")/services.sh"
finish
