#!/bin/bash
# nixproc visualize: the DOT graph of the webapps examples is what Graphviz
# draws (a PNG) and parses (nodes, edges, cluster labels). nixproc
# disnix-export: the three Disnix models evaluate with nix-instantiate to the
# model's services, types, dependencies and ports, all on localhost; files
# are not overwritten without --force; a broken model writes nothing.
source "$(dirname "$0")/lib.sh"

command -v dot >/dev/null || { echo "skip: graphviz (dot) is not installed"; exit 77; }
command -v nix-instantiate >/dev/null || { echo "skip: nix-instantiate is not installed"; exit 77; }

SIMPLE=$EXAMPLES/webapps-agnostic/processes.nix
ADVANCED=$EXAMPLES/webapps-agnostic/processes-advanced.nix
OPTIONS=(--state-dir "$STATE" --force-disable-user-change)

# What dot parsed from a DOT file, one fact per line: "nodes N", "node NAME",
# "edge TAIL->HEAD" and "cluster LABEL: NODE..." (sorted).
dot_facts() {
  dot -Tjson "$1" | python3 -c '
import json, sys
graph = json.load(sys.stdin)
objects = {o["_gvid"]: o for o in graph.get("objects", [])}
clusters = graph.get("_subgraph_cnt", 0)
nodes = [o for i, o in objects.items() if i >= clusters]
facts = ["nodes %d" % len(nodes)]
facts += ["node " + o["name"] for o in nodes]
facts += ["edge %s->%s" % (objects[e["tail"]]["name"], objects[e["head"]]["name"])
          for e in graph.get("edges", [])]
facts += ["cluster %s: %s" % (o["label"], " ".join(sorted(objects[n]["name"] for n in o.get("nodes", []))))
          for i, o in objects.items() if i < clusters]
print("\n".join(sorted(facts)))'
}

has_fact() {  # has_fact FACTS FACT
  grep -qxF -- "$2" <<<"$1"
}

webapps="webapp1 webapp2 webapp3 webapp4 webapp5 webapp6"
for pm in sysvinit none; do
  case $pm in
  sysvinit) cluster="sysvinit (sysvinit-script)" ;;
  none) cluster="managed-process" ;;
  esac
  out=$TEST_DIR/advanced-$pm.dot
  check "visualize -P $pm the advanced model" \
    nixproc visualize -P "$pm" "${OPTIONS[@]}" "$ADVANCED" -o "$out"
  check "-P $pm: dot renders a PNG" dot -Tpng -o "$TEST_DIR/advanced-$pm.png" "$out"
  check_equal "-P $pm: the picture is a PNG" \
    "$(head -c 8 "$TEST_DIR/advanced-$pm.png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a"
  facts=$(dot_facts "$out")
  check "-P $pm: dot parses 8 nodes" has_fact "$facts" "nodes 8"
  check_equal "-P $pm: dot parses exactly 6 edges" "$(grep -c '^edge ' <<<"$facts")" 6
  for n in 1 2 3 4; do
    check "-P $pm: nginx -> webapp$n" has_fact "$facts" "edge nginx->webapp$n"
  done
  for n in 5 6; do
    check "-P $pm: nginx2 -> webapp$n" has_fact "$facts" "edge nginx2->webapp$n"
  done
  check "-P $pm: the localhost cluster holds every instance" \
    has_fact "$facts" "cluster localhost: nginx nginx2 $webapps"
  check "-P $pm: the process manager cluster is labelled $cluster" \
    has_fact "$facts" "cluster $cluster: nginx nginx2 $webapps"
  check_equal "-P $pm: stdout is the same graph" \
    "$(nixproc visualize -P "$pm" "${OPTIONS[@]}" "$ADVANCED")" "$(cat "$out")"

  simple=$(nixproc visualize -P "$pm" "${OPTIONS[@]}" "$SIMPLE" | dot -Tcanon)
  check_contains "-P $pm: the simple model's edge, as dot -Tcanon reads it" "$simple" \
    "nginx -> webapp;"
  check_contains "-P $pm: the simple model's cluster label" "$simple" "label=\"$cluster\""
  check_equal "-P $pm: the simple model's nodes" \
    "$(nixproc visualize -P "$pm" "${OPTIONS[@]}" "$SIMPLE" >"$TEST_DIR/simple.dot" &&
      dot_facts "$TEST_DIR/simple.dot" | grep '^node')" $'node nginx\nnode webapp\nnodes 2'
done
check_contains "NIXPROC_PROCESS_MANAGER picks the process manager" \
  "$(NIXPROC_PROCESS_MANAGER=supervisord nixproc visualize "${OPTIONS[@]}" "$SIMPLE")" \
  'label = "supervisord (supervisord-program)";'
check_fails "visualize with an unknown process manager" \
  nixproc visualize -P upstart "${OPTIONS[@]}" "$SIMPLE"

# --- disnix-export ---------------------------------------------------------

# nix_eval DIR EXPR: evaluates EXPR in DIR to JSON with nixproc's Nix library.
nix_eval() {
  (cd "$1" && nix-instantiate --store dummy:// --eval --strict --json \
    -I "nixproc=$NIXPROC_SOURCE/nix" --expr "$2")
}

SERVICES='builtins.mapAttrs (n: s: {
  inherit (s) name type;
  after = builtins.attrNames (s.activatesAfter or { });
  dependsOn = builtins.attrNames (s.dependsOn or { });
  port = s.port or null;
  pidFile = ((if builtins.isFunction s.pkg then s.pkg { } else s.pkg).environment or { }).PID_FILE or null;
  pkgIsFunction = builtins.isFunction s.pkg;
}) (import ./services.nix { })'
DISTRIBUTION='builtins.mapAttrs (n: machines: map (m: m.properties.hostname) machines)
  (import ./distribution.nix { infrastructure = import ./infrastructure.nix; })'

# expected_services PM_TYPE DEPENDS_ON: what SERVICES must give for the
# advanced model, the ports and PID files taken from nixproc's own
# evaluation (build -P none), so the services model saw the same parameters.
expected_services() {
  python3 - "$1" "$2" "$agnostic/processes.json" <<'PY'
import json, sys
type_, depends_on, path = sys.argv[1], sys.argv[2] == "yes", sys.argv[3]
model = json.load(open(path))
deps = {"nginx": ["webapp1", "webapp2", "webapp3", "webapp4"], "nginx2": ["webapp5", "webapp6"]}
out = {}
for key, instance in model.items():
    d = sorted(deps.get(key, []))
    out[key] = {"name": key, "type": type_, "after": [] if depends_on else d,
                "dependsOn": d if depends_on else [], "port": instance["port"],
                "pidFile": instance["pkg"].get("environment", {}).get("PID_FILE"),
                "pkgIsFunction": depends_on}
print(json.dumps(out, sort_keys=True))
PY
}

canonical() { python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))'; }

W=$(free_port)
ids="{\"ids\": {\"webappPorts\": {\"webapp3\": $W}}}"
agnostic=$(nixproc build -P none "${OPTIONS[@]}" --no-out-link --extra-params "$ids" "$ADVANCED")
check_equal "the extra parameters reach nixproc's evaluation" \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["webapp3"]["port"])' \
    "$agnostic/processes.json")" "$W"

for variant in none sysvinit sysvinit-depends-on; do
  dir=$TEST_DIR/export-$variant
  case $variant in
  none) args=(-P none) type=managed-process depends=no ;;
  sysvinit) args=(-P sysvinit) type=sysvinit-script depends=no ;;
  sysvinit-depends-on) args=(-P sysvinit --depends-on) type=sysvinit-script depends=yes ;;
  esac
  printed=$(nixproc disnix-export "${args[@]}" "${OPTIONS[@]}" --extra-params "$ids" \
    --output-dir "$dir" "$ADVANCED")
  check_equal "$variant: the paths written are printed" "$printed" \
    "$dir/services.nix"$'\n'"$dir/infrastructure.nix"$'\n'"$dir/distribution.nix"
  check_equal "$variant: services.nix gives the model's services, types, dependencies, ports" \
    "$(nix_eval "$dir" "$SERVICES" | canonical)" "$(expected_services "$type" "$depends")"
  check_equal "$variant: every service is distributed to localhost" \
    "$(nix_eval "$dir" "$DISTRIBUTION" | canonical)" \
    "$(python3 -c 'import json,sys; print(json.dumps({k: ["localhost"] for k in json.load(open(sys.argv[1]))}, sort_keys=True))' \
      "$agnostic/processes.json")"
  check_equal "$variant: infrastructure.nix is localhost" \
    "$(nix_eval "$dir" 'import ./infrastructure.nix')" '{"localhost":{"properties":{"hostname":"localhost"}}}'
done
check_equal "--depends-on: pkg applied to its inter-dependencies is the model's pkg" \
  "$(nix_eval "$TEST_DIR/export-sysvinit-depends-on" '((import ./services.nix { }).nginx2.pkg { }).instanceName')" \
  '"nginx2"'
check_contains "the services model says how to evaluate it" \
  "$(cat "$TEST_DIR/export-none/services.nix")" '-I nixproc=$(nixproc data-dir)'
check_equal "nixproc data-dir is the Nix library services.nix needs" \
  "$(nixproc data-dir)/default.nix" "$(realpath "$NIXPROC_SOURCE/nix")/default.nix"

# A Nix --extra-params expression is pasted into the services model.
dir=$TEST_DIR/export-nix-params
check "export with a Nix --extra-params expression" \
  nixproc disnix-export -P sysvinit "${OPTIONS[@]}" --output-dir "$dir" \
  --extra-params "{ ids = { nginxPorts = { nginx2 = $W; }; }; }" "$ADVANCED"
check_equal "the Nix extra parameters reach the services" \
  "$(nix_eval "$dir" '(import ./services.nix { }).nginx2.port')" "$W"

# Existing files: an error naming the file, nothing written; --force overwrites.
dir=$TEST_DIR/export-sysvinit
before=$(cat "$dir"/*.nix | sha256sum)
check_fails "no overwriting without --force" \
  nixproc disnix-export -P none "${OPTIONS[@]}" --output-dir "$dir" "$ADVANCED"
check_contains "the error names the file" \
  "$(nixproc disnix-export -P none "${OPTIONS[@]}" --output-dir "$dir" "$ADVANCED" 2>&1)" \
  "$dir/services.nix exists; pass --force"
check_equal "the files are unchanged" "$(cat "$dir"/*.nix | sha256sum)" "$before"
dir=$TEST_DIR/export-partial
mkdir -p "$dir" && echo '{ }' >"$dir/distribution.nix"
check_fails "one existing file is enough to refuse" \
  nixproc disnix-export -P none "${OPTIONS[@]}" --output-dir "$dir" "$ADVANCED"
check_equal "and nothing else was written" "$(ls "$dir")" "distribution.nix"
check "--force overwrites" \
  nixproc disnix-export -P none --force "${OPTIONS[@]}" --output-dir "$dir" "$ADVANCED"
check_equal "the overwritten distribution is the model's" \
  "$(nix_eval "$dir" "builtins.attrNames ($DISTRIBUTION)")" \
  '["nginx","nginx2","webapp1","webapp2","webapp3","webapp4","webapp5","webapp6"]'
check "the current directory is the default" \
  bash -c "cd '$dir' && nixproc disnix-export -P none --force ${OPTIONS[*]} '$ADVANCED' >/dev/null"

# A JSON model, with keys that need quoting in Nix, and a native config.
cat >"$TEST_DIR/odd.json" <<'JSON'
{
  "web.app": {"port": 1, "pkg": {"instanceName": "web.app", "process": "/bin/true"}},
  "front-1": {"pkg": {"instanceName": "front-1", "process": "/bin/true", "dependencies": ["web.app"]}},
  "legacy": {"pkg": {"type": "supervisord-program", "name": "legacy", "command": "/bin/true",
                     "dependencies": ["front-1", "web.app"]}}
}
JSON
dir=$TEST_DIR/export-json
check "export a JSON model" nixproc disnix-export -P disnix "${OPTIONS[@]}" --output-dir "$dir" "$TEST_DIR/odd.json"
check_equal "its services, quoted names and types evaluate" \
  "$(nix_eval "$dir" 'builtins.mapAttrs (n: s: [ s.type (builtins.attrNames s.activatesAfter) ]) (import ./services.nix { })' | canonical)" \
  '{"front-1": ["process", ["web.app"]], "legacy": ["supervisord-program", ["front-1", "web.app"]], "web.app": ["process", []]}'
check_contains "the JSON model visualizes with the native config in its own cluster" \
  "$(nixproc visualize -P disnix "${OPTIONS[@]}" "$TEST_DIR/odd.json" | dot -Tcanon)" \
  'label="supervisord (supervisord-program)"'

# Broken models: a clear error and nothing written.
echo '{ stateDir }: { broken = { pkg = { instanceName = "broken"; }; }; }' >"$TEST_DIR/broken.nix"
echo '{ stateDir }: { oops = ' >"$TEST_DIR/syntax.nix"
for model in broken.nix syntax.nix; do
  dir=$TEST_DIR/export-$model
  error=$(nixproc disnix-export -P sysvinit "${OPTIONS[@]}" --output-dir "$dir" "$TEST_DIR/$model" 2>&1)
  check_equal "$model: export fails" "$?" 1
  check_contains "$model: with nixproc's error" "$error" "nixproc: error:"
  check "$model: nothing is written" test ! -e "$dir/services.nix" -a ! -e "$dir/distribution.nix" -a ! -e "$dir/infrastructure.nix"
  check_fails "$model: visualize fails too" nixproc visualize "${OPTIONS[@]}" "$TEST_DIR/$model"
done
check_contains "the broken model's error names instance and problem" \
  "$(nixproc visualize "${OPTIONS[@]}" "$TEST_DIR/broken.nix" 2>&1)" "instance broken"
finish
