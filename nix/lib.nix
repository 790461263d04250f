# The few list, string and attribute set helpers models need, so they work
# without nixpkgs.
rec {
  concatStringsSep = builtins.concatStringsSep;
  concatMapStrings = f: list: builtins.concatStringsSep "" (map f list);
  concatMapStringsSep = sep: f: list: builtins.concatStringsSep sep (map f list);
  optional = condition: value: if condition then [ value ] else [ ];
  optionals = condition: list: if condition then list else [ ];
  optionalString = condition: string: if condition then string else "";
  optionalAttrs = condition: attrs: if condition then attrs else { };
  attrValues = set: map (name: set.${name}) (builtins.attrNames set);
  mapAttrsToList = f: set: map (name: f name set.${name}) (builtins.attrNames set);
  filterAttrs = predicate: set:
    builtins.listToAttrs (builtins.concatMap
      (name: if predicate name set.${name} then [ { inherit name; value = set.${name}; } ] else [ ])
      (builtins.attrNames set));
  escapeShellArg = arg: "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] (toString arg)}'";
  escapeShellArgs = args: builtins.concatStringsSep " " (map escapeShellArg args);
  range = first: last: if first > last then [ ] else builtins.genList (n: first + n) (last - first + 1);
}
