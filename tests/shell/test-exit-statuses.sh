#!/bin/bash
# Every binary's --help ends with its exit statuses, the docs list the same
# numbers, and a bad option really exits with the status the help gives for
# a usage error: nixproc (and its activities), nixproc-daemon,
# nixproc-foreground-proxy, nixproc-pidof, nixproc-kill,
# nixproc-chainload-user.
#
# Environment: NIXPROC_BIN, the build's bin directory (required; exit 77
# without it); NIXPROC_SOURCE, the source tree (defaults to this file's).
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE=${NIXPROC_SOURCE:-$HERE/../..}

# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ -z "${NIXPROC_BIN:-}" ]; then
  t_skip "NIXPROC_BIN is not set (it should name the build's bin directory)"
fi
for tool in nixproc nixproc-daemon nixproc-foreground-proxy nixproc-pidof nixproc-kill \
  nixproc-chainload-user; do
  [ -x "$NIXPROC_BIN/$tool" ] || t_skip "$NIXPROC_BIN/$tool is missing; build the project first"
done

# The rows of the "Exit status:" section of the help in T_OUT, "STATUS
# MEANING" a line.
help_rows() {
  printf '%s\n' "$T_OUT" | sed -n '/^Exit status:$/,/^[^ ]/p' | sed -n 's/^  \([^ ]*\)  *\(.*\)/\1 \2/p'
}

# The numeric statuses of the help in T_OUT, sorted.
help_codes() {
  help_rows | awk '$1 ~ /^[0-9]+$/ { print $1 }' | sort -n | tr '\n' ' '
}

# The numeric statuses of the tables in the section of FILE that the line
# HEADING starts (up to the next heading of its level or above), sorted.
doc_codes() {
  local file=$1 heading=$2
  awk -v heading="$heading" '
    $0 == heading { inside = 1; level = index($0, " "); next }
    inside && /^#+ / && index($0, " ") <= level { exit }
    inside && /^\| [0-9]+ \|/ { split($0, cells, "|"); gsub(/ /, "", cells[2]); print cells[2] }
  ' "$file" | sort -n | tr '\n' ' '
}

# check_binary LABEL DOC HEADING CMD...: CMD --help has an Exit status
# section whose numbers are those of DOC's section HEADING, and CMD --bogus
# exits with the status it gives for a usage error.
check_binary() {
  local label=$1 doc=$2 heading=$3
  shift 3
  expect "$label --help exits 0" 0 "$@" --help
  assert_out_has "$label --help ends with its exit statuses" "Exit status:"
  local codes usage
  codes=$(help_codes)
  usage=$(help_rows | awk '/usage error/ { print $1; exit }')
  assert_eq "$label: the help names a usage status" "$([ -n "$usage" ] && echo yes)" yes
  assert_eq "$label: the statuses of --help are those of $(basename "$doc") '$heading'" \
    "$codes" "$(doc_codes "$doc" "$heading")"
  expect "$label --bogus exits with the usage status $usage" "$usage" "$@" --bogus
  assert "$label --bogus says what is wrong" test -n "$T_ERR"
}

BIN=$NIXPROC_BIN
check_binary nixproc "$SOURCE/README.md" "## Exit statuses" "$BIN/nixproc"
for activity in start stop restart reload status runactivity; do
  check_binary "nixproc $activity" "$SOURCE/docs/process-managers.md" \
    "## Activities and their exit statuses" "$BIN/nixproc" "$activity"
done
check_binary nixproc-daemon "$SOURCE/docs/daemon-tools.md" "## nixproc-daemon" \
  "$BIN/nixproc-daemon"
check_binary nixproc-foreground-proxy "$SOURCE/docs/daemon-tools.md" \
  "## nixproc-foreground-proxy" "$BIN/nixproc-foreground-proxy"
check_binary nixproc-pidof "$SOURCE/docs/daemon-tools.md" "## nixproc-pidof" "$BIN/nixproc-pidof"
check_binary nixproc-kill "$SOURCE/docs/daemon-tools.md" "## nixproc-kill" "$BIN/nixproc-kill"
check_binary nixproc-chainload-user "$SOURCE/docs/daemon-tools.md" "## nixproc-chainload-user" \
  "$BIN/nixproc-chainload-user"

# The usage statuses themselves, as the docs give them.
expect "nixproc: a missing argument is a usage error (1)" 1 "$BIN/nixproc" runactivity
expect "nixproc: no subcommand is a usage error (1)" 1 "$BIN/nixproc"
expect "nixproc-daemon: no program is a usage error (100)" 100 "$BIN/nixproc-daemon" \
  --no-pid-file
expect "nixproc-foreground-proxy: no program is a usage error (100)" 100 \
  "$BIN/nixproc-foreground-proxy"
expect "nixproc-pidof: no program is a usage error (4)" 4 "$BIN/nixproc-pidof"
expect "nixproc-kill: no record is a usage error (2)" 2 "$BIN/nixproc-kill"
expect "nixproc-chainload-user: no program is a usage error (1)" 1 \
  "$BIN/nixproc-chainload-user" nobody

t_summary
