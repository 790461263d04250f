#!/bin/bash
# The runit run of supervised-webapps.sh.
exec bash "$(dirname "$0")/supervised-webapps.sh" runit
