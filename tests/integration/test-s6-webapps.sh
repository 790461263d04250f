#!/bin/bash
# The s6 run of supervised-webapps.sh.
exec bash "$(dirname "$0")/supervised-webapps.sh" s6
