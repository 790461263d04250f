#!/bin/bash
# The <nixpkgs> compatibility set (nix/compat/nixpkgs) with real builds:
# `nixproc compat gen-pkgs` into a temporary home, then models that use
# stdenv.mkDerivation, runCommand, writeTextFile with a destination and the
# nginx link farm, evaluated and realised in a private store (and, as root,
# in /nix/store); plus the errors for a package that is not installed, a
# missing host package list, several outputs, fetchers and a failing build.
source "$(dirname "$0")/lib.sh"
for tool in nix-instantiate nix-store dpkg-query; do
  if ! command -v "$tool" >/dev/null; then
    echo "skipped: $tool is missing (apt-get install nix-bin)"
    exit 77
  fi
done

# The private store's directories are read-only, as store paths are.
system_paths=()
cleanup_compat() {
  if [ ${#system_paths[@]} -gt 0 ]; then
    nix-store --delete "${system_paths[@]}" >/dev/null 2>&1
  fi
  chmod -R u+w "$TEST_DIR" 2>/dev/null
  cleanup
}
trap cleanup_compat EXIT

ABSENT=nixproc-test-absent-package
if dpkg-query -W "$ABSENT" >/dev/null 2>&1; then
  echo "skipped: $ABSENT is installed"
  exit 77
fi
printf 'absentThing %s\n' "$ABSENT" >"$TEST_DIR/table"
nixproc compat gen-pkgs --table "$TEST_DIR/table" >"$TEST_DIR/gen.out" 2>"$TEST_DIR/gen.err"
check_equal "gen-pkgs writes the host package list" "$?" 0
HOST_PACKAGES=$(cat "$TEST_DIR/gen.out")
check_equal "gen-pkgs prints the file it wrote" "$HOST_PACKAGES" "$NIXPROC_HOME/compat/host-packages.nix"
check_contains "an uninstalled package is a missing entry" "$(cat "$HOST_PACKAGES")" \
  "absentThing = missing \"absentThing\" \"$ABSENT\";"
check_contains "nginx is a link farm" "$(cat "$HOST_PACKAGES")" '[ "bin/nginx" "/usr/sbin/nginx" ]'
export NIXPROC_HOST_PACKAGES=$HOST_PACKAGES

D=$TEST_DIR/nix
mkdir -p "$D" "$TEST_DIR/site"
PRIVATE="local?store=$D/store&state=$D/state&log=$D/log"
NIX_OPTIONS=(-I "nixpkgs=$NIXPROC_SOURCE/nix/compat/nixpkgs" -I "nixproc=$NIXPROC_SOURCE/nix")

# A tarball with a Makefile, built by the default phases.
mkdir -p "$TEST_DIR/tarball/tool-1.0"
printf 'all:\n\techo built by make > built.txt\ninstall:\n\tmkdir -p $(out)/share\n\tcp built.txt $(out)/share/\n' \
  >"$TEST_DIR/tarball/tool-1.0/Makefile"
tar -C "$TEST_DIR/tarball" -czf "$TEST_DIR/tool-1.0.tar.gz" tool-1.0

# A single file as the source, a patch for it, and a checkPhase.
printf 'greeting=hello\n' >"$TEST_DIR/settings.conf"
cat >"$TEST_DIR/settings.patch" <<'PATCH'
--- a/settings.conf
+++ b/settings.conf
@@ -1 +1 @@
-greeting=hello
+greeting=patched
PATCH

# A small static site: a Makefile-less source built by buildPhase.
printf 'Title: Compat\n' >"$TEST_DIR/site/title.txt"
printf '<p>body text</p>\n' >"$TEST_DIR/site/body.html"
cat >"$TEST_DIR/model.nix" <<NIX
{ pkgs ? import <nixpkgs> { inherit system; }, system ? builtins.currentSystem }:
with pkgs;
rec {
  site = stdenv.mkDerivation {
    pname = "static-site";
    version = "1.0";
    src = $TEST_DIR/site;
    buildInputs = [ coreutils ];
    buildPhase = ''
      runHook preBuild
      { echo "<h1>\$(sed 's/^Title: //' title.txt)</h1>"; cat body.html; } > index.html
      runHook postBuild
    '';
    postBuild = "echo built > stamp";
    installPhase = ''
      runHook preInstall
      mkdir -p \$out/share/www
      cp index.html stamp \$out/share/www/
      runHook postInstall
    '';
    meta.description = "not passed to the builder";
    passthru.port = 8080;
  };
  tool = stdenv.mkDerivation { name = "tool-1.0"; src = $TEST_DIR/tool-1.0.tar.gz; };
  patched = stdenv.mkDerivation {
    name = "patched";
    src = $TEST_DIR/settings.conf;
    patches = [ $TEST_DIR/settings.patch ];
    doCheck = true;
    checkPhase = "grep -q patched settings.conf && echo checked > check.log";
    installPhase = "mkdir -p \$out; cp settings.conf check.log \$out/";
  };
  htpasswd = runCommand "htpasswd" { user = "alice"; password = "secret"; } ''
    printf '%s:%s\n' "\$user" "\$(printf %s "\$password" | sha256sum | cut -c1-16)" > \$out
  '';
  conf = writeTextFile {
    name = "app-conf";
    text = "listen 8080;\n";
    destination = "/etc/app.conf";
    checkPhase = "grep -q listen \$target";
  };
  hello = writeShellScriptBin "hello-compat" "echo hello from compat";
  joined = symlinkJoin { name = "joined"; paths = [ hello redis ]; };
  nginxBin = "\${nginx}/bin/nginx";
  nginxFarm = nginx;
  supervisord = "\${python3Packages.supervisor}/bin/supervisord";
  plainFile = writeText "plain.conf" "x = 1";
  plainNeedsNoBuild = let entries = builtins.attrValues (builtins.getContext "\${plainFile}"); in
    entries != [ ] && builtins.all (entry: entry ? path && !(entry ? outputs)) entries;
  fromPlain = runCommand "from-plain" { src = plainFile; } "cp \$src \$out";
  fromScript = runCommand "from-script" { } "\${writeScript "say" "#!/bin/sh\necho scripted"} > \$out";
  called = callPackage ({ writeText, lib }: writeText "called" (lib.toUpper "abc")) { };
  fails = stdenv.mkDerivation { name = "fails"; buildCommand = "echo going to fail; exit 3"; };
  outputs = stdenv.mkDerivation { name = "two"; outputs = [ "out" "dev" ]; buildCommand = ""; };
  absent = "\${absentThing}/bin/thing";
  libResults = with lib; [
    (splitString "." "a.b.c") (toUpper "abc") (toLower "ABC") (replaceStrings [ "a" ] [ "b" ] "aa")
    (escape [ "\$" ] "a\$b") (escapeShellArg "it's") (escapeShellArgs [ "a b" "c" ])
    (intersectLists [ 1 2 ] [ 2 3 ]) (subtractLists [ 1 ] [ 1 2 ]) (isDerivation stdenv.shell)
    (mapAttrs' (n: v: nameValuePair "x\${n}" v) { a = 1; }) (makeSearchPath "lib" [ "/a" null ])
    (makeBinPath [ "/usr" ]) (attrByPath [ "a" "b" ] 0 { a.b = 2; }) (attrByPath [ "z" ] 0 { })
    (recursiveUpdate { a.b = 1; a.c = 2; } { a.b = 3; }) (fix (self: { a = 1; b = self.a + 1; })).b
    (strings.hasPrefix "a" "ab") (lists.foldl' (a: b: a + b) 0 [ 1 2 ]) (attrsets.filterAttrs (n: v: v > 1) { a = 1; b = 2; })
    (removeSuffix ".nix" "x.nix") (range 1 3) (unique [ 1 1 2 ]) (flatten [ 1 [ 2 [ 3 ] ] ])
    (genAttrs [ "a" ] (n: n)) (concatMapStrings (x: x + ",") [ "a" "b" ]) (optional false 1)
    (optionalString true "s") (mapAttrsToList (n: v: n) { a = 1; })
  ];
  fetch = fetchurl { url = "http://example.org/x.tar.gz"; sha256 = ""; };
}
NIX

# instantiate STORE ATTR: the .drv path (stderr in $TEST_DIR/err).
instantiate() {
  nix-instantiate --store "$1" --read-write-mode "${NIX_OPTIONS[@]}" "$TEST_DIR/model.nix" -A "$2" \
    2>"$TEST_DIR/err"
}
# realise STORE ATTR: the output path.
realise() {
  local drv
  drv=$(instantiate "$1" "$2") || return 1
  nix-store --store "$1" --option sandbox false --option build-users-group '' --realise "$drv" \
    2>"$TEST_DIR/build.err"
}
evaluate() {
  nix-instantiate --store "$PRIVATE" --read-write-mode --eval --strict "${NIX_OPTIONS[@]}" \
    "$TEST_DIR/model.nix" -A "$1" 2>"$TEST_DIR/err"
}

site=$(realise "$PRIVATE" site)
check "mkDerivation builds the site" test -n "$site"
check_equal "the site's page comes from buildPhase" "$(cat "$site/share/www/index.html" 2>&1)" \
  "$(printf '<h1>Compat</h1>\n<p>body text</p>')"
check_equal "postBuild ran through runHook" "$(cat "$site/share/www/stamp" 2>&1)" "built"
check_contains "pname and version make the name" "$site" "-static-site-1.0"
check_equal "passthru reaches the result" "$(evaluate site.port)" "8080"
check_equal "meta is not passed to the builder" \
  "$(nix-instantiate --store "$PRIVATE" --read-write-mode --eval "${NIX_OPTIONS[@]}" \
    "$TEST_DIR/model.nix" -A site.drvAttrs.meta 2>&1 | grep -c "attribute 'meta' in selection path")" "1"

tool=$(realise "$PRIVATE" tool)
check_equal "a tarball with a Makefile builds by the default phases" \
  "$(cat "$tool/share/built.txt" 2>&1)" "built by make"

patched=$(realise "$PRIVATE" patched)
check_equal "a single-file source is patched" "$(cat "$patched/settings.conf" 2>&1)" "greeting=patched"
check_equal "doCheck runs the checkPhase" "$(cat "$patched/check.log" 2>&1)" "checked"

htpasswd=$(realise "$PRIVATE" htpasswd)
check_equal "runCommand writes the htpasswd file" "$(cat "$htpasswd" 2>&1)" \
  "alice:$(printf %s secret | sha256sum | cut -c1-16)"

conf=$(realise "$PRIVATE" conf)
check_equal "writeTextFile with a destination" "$(cat "$conf/etc/app.conf" 2>&1)" "listen 8080;"
hello=$(realise "$PRIVATE" hello)
check_equal "writeShellScriptBin runs" "$("$hello/bin/hello-compat" 2>&1)" "hello from compat"

joined=$(realise "$PRIVATE" joined)
check_equal "symlinkJoin links a built package" "$("$joined/bin/hello-compat" 2>&1)" "hello from compat"
check_equal "symlinkJoin links a host prefix's bin only" \
  "$(readlink "$joined/bin/redis-server"):$(test -e "$joined/share" && echo share)" "/usr/bin/redis-server:"

farm=$(realise "$PRIVATE" nginxFarm)
check "the nginx link farm runs \$out/bin/nginx -v" "$farm/bin/nginx" -v
check "the nginx link farm has conf/mime.types" test -f "$farm/conf/mime.types"
check_equal "\${nginx}/bin/nginx is the farm's" "$(evaluate nginxBin)" "\"$farm/bin/nginx\""

check_equal "a dotted table attribute (python3Packages.supervisor)" "$(evaluate supervisord)" \
  '"/usr/bin/supervisord"'
check_equal "lib has nixpkgs' helpers with nixpkgs' results" \
  "$(nix-instantiate --eval --strict --json "${NIX_OPTIONS[@]}" "$TEST_DIR/model.nix" -A libResults 2>"$TEST_DIR/err")" \
  '[["a","b","c"],"ABC","abc","bb","a\\$b","'"'it'\\\\''s'"'","'"'a b' 'c'"'",[2],[2],false,{"xa":1},"/a/lib","/usr/bin",2,0,{"a":{"b":3,"c":2}},2,true,3,{"b":2},"x",[1,2,3],[1,2],[1,2,3],{"a":"a"},"a,b,",[],"s",["a"]]'
from_plain=$(realise "$PRIVATE" fromPlain)
check_equal "a writeText result is the src of a build" "$(cat "$from_plain" 2>&1)" "x = 1"
check_equal "a plain writeText needs no build (builtins.toFile)" "$(evaluate plainNeedsNoBuild)" true
from_script=$(realise "$PRIVATE" fromScript)
check_equal "a writeScript result runs inside a build" "$(cat "$from_script" 2>&1)" "scripted"
check_equal "callPackage passes pkgs' attributes" "$(evaluate called.text)" '"ABC"'

check_fails "a failing builder fails the build" realise "$PRIVATE" fails
check_contains "the failing build says why" "$(cat "$TEST_DIR/build.err")" "going to fail"
check_fails "several outputs are refused" evaluate outputs.drvPath
check_contains "several outputs: the error says so" "$(cat "$TEST_DIR/err")" "builds a single output only"
check_fails "an uninstalled package is an error" evaluate absent
check_contains "the error names the Debian package" "$(cat "$TEST_DIR/err")" \
  "pkgs.absentThing: the Debian package $ABSENT is not installed (apt-get install $ABSENT)"
check_fails "fetchurl is an error" evaluate fetch
check_contains "fetchurl: no network" "$(cat "$TEST_DIR/err")" "no network fetchers"
NIXPROC_HOST_PACKAGES= check_fails "without the host package list pkgs.nginx fails" evaluate nginxBin
check_contains "the error says to run gen-pkgs" "$(cat "$TEST_DIR/err")" "run \`nixproc compat gen-pkgs\`"

if [ "$(id -u)" = 0 ] && [ -d /nix/store ]; then
  system_site=$(realise auto site)
  check "as root, the site builds in /nix/store" test -e "$system_site"
  system_farm=$(realise auto nginxFarm)
  check "as root, the nginx link farm builds in /nix/store" "$system_farm/bin/nginx" -v
  for out in "$system_site" "$system_farm"; do
    case $out in /nix/store/*) system_paths+=("$out") ;; esac
  done
  system_paths+=($(instantiate auto site) $(instantiate auto nginxFarm))
  check_equal "the system store's site has the same page" \
    "$(head -n 1 "$system_site/share/www/index.html" 2>&1)" "<h1>Compat</h1>"
fi

# An unprivileged user builds in a private store of its own.
if ensure_test_user; then
  U=$TEST_DIR/user-nix
  mkdir -p "$U" && chown "$TEST_USER" "$U"
  user_site=$(as_test_user env NIXPROC_HOST_PACKAGES="$HOST_PACKAGES" nix-store \
    --store "local?store=$U/store&state=$U/state&log=$U/log" --option sandbox false \
    --realise "$(as_test_user env NIXPROC_HOST_PACKAGES="$HOST_PACKAGES" nix-instantiate \
      --store "local?store=$U/store&state=$U/state&log=$U/log" --read-write-mode \
      "${NIX_OPTIONS[@]}" "$TEST_DIR/model.nix" -A site 2>/dev/null)" 2>"$TEST_DIR/user.err")
  check_equal "as $TEST_USER, the site builds in a private store" \
    "$(head -n 1 "$user_site/share/www/index.html" 2>&1)" "<h1>Compat</h1>"
  check_equal "as $TEST_USER, the build ran as that user" "$(stat -c %U "$user_site" 2>&1)" "$TEST_USER"
fi

finish
