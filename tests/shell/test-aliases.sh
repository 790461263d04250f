#!/bin/bash
# The alias table src/cli/aliases.def: the build links exactly its
# NIXPROC_LINK names to nixproc, each runs the nixproc command the table
# gives, README.md lists each, and the NIXPROC_RULE names work as links made
# by hand.
#
# Environment: NIXPROC_BIN, the build's bin directory (required; exit 77
# without it); NIXPROC_SOURCE, the source tree (defaults to this file's).
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE=${NIXPROC_SOURCE:-$HERE/../..}
TABLE=$SOURCE/src/cli/aliases.def

# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ -z "${NIXPROC_BIN:-}" ]; then
  t_skip "NIXPROC_BIN is not set (it should name the build's bin directory)"
fi
[ -x "$NIXPROC_BIN/nixproc" ] || t_skip "$NIXPROC_BIN/nixproc is missing; build the project first"
BIN=$(cd "$NIXPROC_BIN" && pwd)

# "NAME COMMAND..." a line for the entries of KIND (LINK or RULE).
entries() {
  sed -n "s/^NIXPROC_$1(\"\([^\"]*\)\", \"\([^\"]*\)\")\$/\1 \2/p" "$TABLE"
}

links=$(entries LINK | awk '{ print $1 }' | sort)
assert "the table has links" test -n "$links"
linked=$(find "$BIN" -maxdepth 1 -name 'nixproc-*' -type l -lname nixproc -printf '%f\n' | sort)
assert_eq "the build links exactly the table's names to nixproc" "$linked" "$links"

readme=$(tr '\n' ' ' <"$SOURCE/README.md")
while read -r name command _; do
  expect "$name --help" 0 "$BIN/$name" --help
  assert_out_has "$name runs nixproc $command" "Usage: nixproc $command "
  assert "README.md lists $name" grep -qF "\`$name\`" <<<"$readme"
done < <(entries LINK)

# The rules, through links of one's own.
ln -s "$BIN/nixproc" "$T_DIR/nixproc-gc"
expect "a link nixproc-gc runs gc" 0 "$T_DIR/nixproc-gc" --help
assert_out_has "  its help is gc's" "Usage: nixproc gc "
for name in nixproc-foo-switch nixproc-foo-deploy; do
  ln -s "$BIN/nixproc" "$T_DIR/$name"
  expect "a link $name runs switch -P foo" 1 "$T_DIR/$name" --nixproc-home "$T_DIR/home" \
    "$T_DIR/none.json"
  assert_err_has "  which knows no process manager foo" 'unknown process manager "foo"'
done
ln -s "$BIN/nixproc" "$T_DIR/nixproc-foo-runactivity"
expect "a link nixproc-foo-runactivity runs runactivity" 0 "$T_DIR/nixproc-foo-runactivity" --help
assert_out_has "  its help is runactivity's" "Usage: nixproc runactivity "
ln -s "$BIN/nixproc" "$T_DIR/nixproc--switch"
expect "nixproc--switch is no alias (the * matches something)" 0 "$T_DIR/nixproc--switch" --help
assert_out_has "  its help is nixproc's" "Usage: nixproc [OPTIONS] SUBCOMMAND"

t_summary
