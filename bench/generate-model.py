#!/usr/bin/env python3
"""Writes a synthetic processes model: N instances, webapps in groups of ten
behind a proxy that depends on them (so about 9 webapps per proxy).

  generate-model.py N OUT.json [--program PATH] [--port-base P] [--state-dir DIR]
  generate-model.py N OUT.nix  (a Nix model that builds the same with createManagedProcess)
"""
import argparse
import json

parser = argparse.ArgumentParser()
parser.add_argument("count", type=int)
parser.add_argument("out")
parser.add_argument("--program", default="/usr/libexec/nixproc/webapp")
parser.add_argument("--port-base", type=int, default=20000)
parser.add_argument("--state-dir", default="/var")
options = parser.parse_args()


def layout(count):
    """(name, port, dependencies) for every instance."""
    instances = []
    group = []
    for index in range(count):
        if len(group) == 9 or index == count - 1:
            instances.append((f"proxy{index}", index, list(group)))
            group = []
        else:
            group.append(f"webapp{index}")
            instances.append((f"webapp{index}", index, []))
    return instances


if options.out.endswith(".json"):
    model = {}
    for name, index, dependencies in layout(options.count):
        pkg = {
            "type": "managed-process",
            "instanceName": name,
            "description": f"Synthetic process {name}",
            "foregroundProcess": options.program,
            "environment": {"PORT": options.port_base + index},
        }
        if dependencies:
            pkg["dependencies"] = dependencies
        model[name] = {"pkg": pkg, "port": options.port_base + index,
                       "requiresUniqueIdsFor": ["ports", "uids"]}
    with open(options.out, "w") as out:
        json.dump(model, out)
else:
    with open(options.out, "w") as out:
        out.write(f"""{{ processManager ? "sysvinit", stateDir ? "/var", forceDisableUserChange ? false }}:
let
  nixproc = import <nixproc> {{ inherit processManager stateDir forceDisableUserChange; }};
  count = {options.count};
  isProxy = index: index == count - 1 || builtins.sub index (builtins.mul 10 (builtins.div index 10)) == 9;
  name = index: (if isProxy index then "proxy" else "webapp") + toString index;
  group = index: builtins.filter (i: i >= 0 && !(isProxy i) && builtins.div i 10 == builtins.div index 10)
    (builtins.genList (n: index - 9 + n) 9);
  instance = index: {{
    name = name index;
    value = {{
      port = {options.port_base} + index;
      pkg = nixproc.createManagedProcess ({{
        instanceName = name index;
        description = "Synthetic process ${{name index}}";
        foregroundProcess = "{options.program}";
        environment.PORT = {options.port_base} + index;
      }} // (if isProxy index then {{ dependencies = map name (group index); }} else {{ }}));
    }};
  }};
in
builtins.listToAttrs (builtins.genList instance count)
""")
