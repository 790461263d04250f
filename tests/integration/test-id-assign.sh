#!/bin/bash
# id-assign: IDs for the advanced webapps model from pools of our own, the
# system deployed with them (--ids) and every instance found on its assigned
# port; retention, exhaustion and Disnix models at the command line.
. "$(dirname "$0")/lib.sh"
command -v nix-instantiate >/dev/null || { echo "nix-instantiate missing"; exit 77; }

MODEL=$EXAMPLES/webapps-agnostic/processes-advanced.nix
# Evaluates a Nix file of data to JSON, then runs a Python expression on it as `d`.
nix_json() { nix-instantiate --store dummy:// --eval --strict --json -E "import $1"; }
query() { python3 -c "import json,sys; d=json.load(sys.stdin); print($2)" < <(nix_json "$1"); }

cat >"$TEST_DIR/idresources.nix" <<'NIX'
rec {
  webappPorts = { min = 6100; max = 6200; step = 7; };
  nginxPorts = { min = 9100; max = 9110; };
  uids = { min = 3100; max = 3200; };
  gids = uids;
}
NIX
IDS=$TEST_DIR/ids.nix
check "assign IDs for the advanced webapps model" \
  nixproc id-assign --id-resources "$TEST_DIR/idresources.nix" --output-file "$IDS" "$MODEL"
check_equal "webapps get every 7th port from 6100" \
  "$(query "$IDS" '" ".join(str(d["ids"]["webappPorts"]["webapp%d" % n]) for n in range(1, 7))')" \
  "6100 6107 6114 6121 6128 6135"
check_equal "nginx instances get their own pool" \
  "$(query "$IDS" 'd["ids"]["nginxPorts"]')" "{'nginx': 9100, 'nginx2': 9101}"
check_equal "uids in key order" "$(query "$IDS" 'd["ids"]["uids"]["webapp6"], d["lastAssignments"]["uids"]')" \
  "3107 3107"

# Deploy with the assignments and find every instance where they say.
check "deploy with --ids" nixproc switch --state-dir "$STATE" --force-disable-user-change --ids "$IDS" "$MODEL"
for n in 1 2 3 4 5 6; do
  port=$(query "$IDS" "d['ids']['webappPorts']['webapp$n']")
  wait_for_port "$port"
  check_contains "webapp$n answers on its port $port" "$(http_get "$port" "webapp$n.local")" "listening on port: $port"
done
wait_for_port 9101
check_contains "nginx routes webapp2.local" "$(http_get 9100 webapp2.local)" "listening on port: 6107"
check_contains "nginx2 routes webapp6.local" "$(http_get 9101 webapp6.local)" "listening on port: 6135"
check "undeploy" nixproc switch --state-dir "$STATE" --force-disable-user-change --undeploy
check "nothing listens any more" port_closed 6100

# createCredentials takes UIDs and GIDs from the assignments.
agnostic=$(nixproc build -P none --no-out-link --ids "$IDS" "$MODEL")
check_equal "webapp3's user and group get the assigned IDs" \
  "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["webapp3"]["pkg"]["credentials"]; print(c["users"]["webapp3"]["uid"], c["groups"]["webapp3"]["gid"])' "$agnostic/processes.json")" \
  "3104 3104"

# Assigning again keeps everything; JSON output says the same as Nix.
cp "$IDS" "$TEST_DIR/ids-before.nix"
check "assign again with --ids (same file in and out)" \
  nixproc id-assign --id-resources "$TEST_DIR/idresources.nix" --ids "$IDS" --output-file "$IDS" "$MODEL"
check "unchanged" cmp -s "$IDS" "$TEST_DIR/ids-before.nix"
nixproc id-assign --id-resources "$TEST_DIR/idresources.nix" --ids "$IDS" --output-json "$MODEL" >"$TEST_DIR/ids.json"
check_equal "JSON output" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])) == json.loads(sys.argv[2]))' \
  "$TEST_DIR/ids.json" "$(nix_json "$IDS")")" "True"
check "a JSON ids file works as --ids" \
  nixproc id-assign --id-resources "$TEST_DIR/idresources.nix" --ids "$TEST_DIR/ids.json" -o "$TEST_DIR/from-json.nix" "$MODEL"
check "and gives the same" cmp -s "$TEST_DIR/from-json.nix" "$IDS"

# The seed's model change: webapp1 and webapp2, then webapp2 and webapp3.
cat >"$TEST_DIR/two.nix" <<'NIX'
{ names ? [ "webapp1" "webapp2" ] }:
builtins.listToAttrs (map (name: {
  inherit name;
  value = { pkg = { inherit name; foregroundProcess = "/bin/true"; }; requiresUniqueIdsFor = [ "ports" "uids" "gids" ]; };
}) names)
NIX
cat >"$TEST_DIR/seed-resources.nix" <<'NIX'
rec { ports = { min = 5000; max = 6000; scope = "global"; }; uids = { min = 2000; max = 3000; scope = "global"; }; gids = uids; }
NIX
nixproc id-assign --id-resources "$TEST_DIR/seed-resources.nix" -o "$TEST_DIR/seed.nix" "$TEST_DIR/two.nix"
nixproc id-assign --id-resources "$TEST_DIR/seed-resources.nix" --ids "$TEST_DIR/seed.nix" -o "$TEST_DIR/seed.nix" \
  --extra-params '{"names": ["webapp2", "webapp3"]}' "$TEST_DIR/two.nix"
check_equal "the seed's result after the model change" "$(nix_json "$TEST_DIR/seed.nix")" \
  '{"ids":{"gids":{"webapp2":2001,"webapp3":2002},"ports":{"webapp2":5001,"webapp3":5002},"uids":{"webapp2":2001,"webapp3":2002}},"lastAssignments":{"gids":2002,"ports":5002,"uids":2002}}'

# An exhausted pool is an error and the output file keeps what it had.
cat >"$TEST_DIR/small.nix" <<'NIX'
{ webappPorts = { min = 6100; max = 6104; }; nginxPorts = { min = 9100; max = 9110; }; uids = { min = 1; max = 99; }; gids = { min = 1; max = 99; }; }
NIX
out=$(nixproc id-assign --id-resources "$TEST_DIR/small.nix" --ids "$IDS" -o "$IDS" "$MODEL" 2>&1)
check_equal "exhaustion exits 1" "$?" "1"
check_contains "and says which pool" "$out" "ID pool webappPorts (6100-6104, 5 IDs) is exhausted"
check "the ids file is untouched" cmp -s "$IDS" "$TEST_DIR/ids-before.nix"
out=$(nixproc id-assign --id-resources "$TEST_DIR/missing.nix" "$MODEL" 2>&1)
check_contains "a missing resources file is named" "$out" "--id-resources: $TEST_DIR/missing.nix does not exist"
out=$(nixproc id-assign "$MODEL" 2>&1)
check_contains "--id-resources is required" "$out" "--id-resources is required"
out=$(nixproc build -P none --no-out-link --ids "$IDS" "$TEST_DIR/two.nix" 2>&1)
check_contains "--ids for a model without an ids parameter is an error" "$out" "does not take an \`ids\` parameter"

# Disnix models: machine scope is unique per target, global across all.
cat >"$TEST_DIR/services.nix" <<'NIX'
{ system, pkgs, distribution, invDistribution }:
let service = name: extra: { inherit name; pkg = pkgs.never-evaluated; type = "process"; requiresUniqueIdsFor = [ "ports" "uids" ]; } // extra;
in rec {
  db = service "db" { };
  web1 = service "web1" { dependsOn = { inherit db; }; };
  web2 = service "web2" { activatesAfter = { inherit db; }; };
  spare = service "spare" { };
}
NIX
cat >"$TEST_DIR/infrastructure.nix" <<'NIX'
{ test1.properties.hostname = "test1.example"; test2.properties.hostname = "test2.example"; }
NIX
cat >"$TEST_DIR/distribution.nix" <<'NIX'
{ infrastructure }: { db = [ infrastructure.test1 ]; web1 = [ infrastructure.test1 ]; web2 = { targets = [ { target = infrastructure.test2; } ]; }; }
NIX
cat >"$TEST_DIR/net-resources.nix" <<'NIX'
{ ports = { min = 8000; max = 8100; scope = "machine"; }; uids = { min = 2000; max = 3000; }; }
NIX
nixproc id-assign --id-resources "$TEST_DIR/net-resources.nix" -s "$TEST_DIR/services.nix" \
  -i "$TEST_DIR/infrastructure.nix" -d "$TEST_DIR/distribution.nix" --output-json >"$TEST_DIR/net.json"
check_equal "machine-scoped ports per target, global uids, nothing for the undistributed" \
  "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["ids"], d["lastAssignmentsPerTarget"])' "$TEST_DIR/net.json")" \
  "{'ports': {'db': 8000, 'web1': 8001, 'web2': 8000}, 'uids': {'db': 2000, 'web1': 2001, 'web2': 2002}} {'test1': {'ports': 8001}, 'test2': {'ports': 8000}}"
out=$(nixproc id-assign --id-resources "$TEST_DIR/net-resources.nix" -s "$TEST_DIR/services.nix" 2>&1)
check_contains "machine scope needs a distribution" "$out" "ID pool ports has machine scope"
echo '{ ports = { min = 8000; max = 8100; }; uids = { min = 2000; max = 3000; }; }' >"$TEST_DIR/global.nix"
check_equal "without a distribution every service gets global IDs" \
  "$(nixproc id-assign --id-resources "$TEST_DIR/global.nix" -s "$TEST_DIR/services.nix" --output-json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["ids"]["ports"])')" \
  "{'db': 8000, 'spare': 8001, 'web1': 8002, 'web2': 8003}"
echo '{ infrastructure }: { ghost = [ infrastructure.test1 ]; }' >"$TEST_DIR/bad-distribution.nix"
out=$(nixproc id-assign --id-resources "$TEST_DIR/global.nix" -s "$TEST_DIR/services.nix" \
  -i "$TEST_DIR/infrastructure.nix" -d "$TEST_DIR/bad-distribution.nix" 2>&1)
check_contains "a distribution naming an unknown service is an error" "$out" "maps ghost, which is not in the services model"

# The same Disnix models drawn: per target, dependsOn solid, activatesAfter dashed.
nixproc visualize -s "$TEST_DIR/services.nix" -i "$TEST_DIR/infrastructure.nix" -d "$TEST_DIR/distribution.nix" \
  -o "$TEST_DIR/net.dot"
check_equal "dot reads the Disnix deployment: targets, nodes, edge styles" "$(dot -Tjson "$TEST_DIR/net.dot" | python3 -c '
import json, sys
g = json.load(sys.stdin)
names = {o["_gvid"]: o["name"] for o in g["objects"]}
clusters = sorted(o["label"] for o in g["objects"] if o["name"].startswith("cluster") and "nodes" in o and o["label"].startswith("test"))
nodes = sorted(o["name"] for o in g["objects"] if not o["name"].startswith("cluster"))
edges = sorted("%s>%s:%s" % (names[e["tail"]], names[e["head"]], e.get("style", "solid")) for e in g["edges"])
print(clusters, nodes, edges)')" \
  "['test1\\\\ntest1.example', 'test2\\\\ntest2.example'] ['test1:db', 'test1:web1', 'test2:web2'] ['test1:web1>test1:db:solid', 'test2:web2>test1:db:dashed']"

# A model handed to Disnix keeps its IDs: the exported services model gets the
# same assignments as the processes model, and reads them back through --ids.
check "export the advanced model with --ids" \
  nixproc disnix-export --ids "$IDS" --output-dir "$TEST_DIR/export" "$MODEL"
check "assign IDs to the exported Disnix models" \
  nixproc id-assign --id-resources "$TEST_DIR/idresources.nix" --ids "$IDS" -o "$TEST_DIR/ids-disnix.nix" \
  -s "$TEST_DIR/export/services.nix" -i "$TEST_DIR/export/infrastructure.nix" -d "$TEST_DIR/export/distribution.nix"
check "the same assignments as from the processes model" cmp "$TEST_DIR/ids-disnix.nix" "$IDS"
check_equal "the exported services read their ports from --ids" \
  "$(nix-instantiate --store dummy:// --eval --strict --json -I "nixproc=$NIXPROC_SOURCE/nix" \
     -E "map (s: s.port) (with import $TEST_DIR/export/services.nix { }; [ webapp1 webapp6 nginx2 ])")" "[6100,6135,9101]"
finish
