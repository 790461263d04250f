# The list, string and attribute set helpers models commonly take from
# nixpkgs' lib, so that models work without nixpkgs. Same names and
# semantics as nixpkgs' lib.
rec {
  # Strings
  concatStringsSep = builtins.concatStringsSep;
  concatStrings = builtins.concatStringsSep "";
  concatMapStrings = f: list: concatStrings (map f list);
  concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
  optionalString = condition: string: if condition then string else "";
  hasPrefix = prefix: string:
    builtins.substring 0 (builtins.stringLength prefix) string == prefix;
  hasSuffix = suffix: string:
    let
      length = builtins.stringLength string;
      suffixLength = builtins.stringLength suffix;
    in
    length >= suffixLength
    && builtins.substring (length - suffixLength) suffixLength string == suffix;
  removePrefix = prefix: string:
    if hasPrefix prefix string
    then builtins.substring (builtins.stringLength prefix) (builtins.stringLength string) string
    else string;
  removeSuffix = suffix: string:
    if hasSuffix suffix string
    then builtins.substring 0 (builtins.stringLength string - builtins.stringLength suffix) string
    else string;
  # POSIX single quoting; always quotes, like the nixpkgs version the
  # original framework used.
  escapeShellArg = arg: "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] (toString arg)}'";
  escapeShellArgs = args: concatStringsSep " " (map escapeShellArg args);
  # "<p1>/bin:<p2>/bin" for the given package prefixes.
  makeBinPath = prefixes: concatMapStringsSep ":" (prefix: "${toString prefix}/bin") prefixes;

  # Lists
  optional = condition: value: if condition then [ value ] else [ ];
  optionals = condition: list: if condition then list else [ ];
  toList = value: if builtins.isList value then value else [ value ];
  range = first: last:
    if first > last then [ ] else builtins.genList (n: first + n) (last - first + 1);
  foldl' = builtins.foldl';
  flatten = value:
    if builtins.isList value then builtins.concatMap flatten value else [ value ];
  unique = builtins.foldl' (kept: item: if builtins.elem item kept then kept else kept ++ [ item ]) [ ];

  # Attribute sets
  attrNames = builtins.attrNames;
  attrValues = set: map (name: set.${name}) (builtins.attrNames set);
  mapAttrs = builtins.mapAttrs;
  mapAttrsToList = f: set: map (name: f name set.${name}) (builtins.attrNames set);
  filterAttrs = predicate: set:
    builtins.listToAttrs (builtins.concatMap
      (name: if predicate name set.${name} then [ { inherit name; value = set.${name}; } ] else [ ])
      (builtins.attrNames set));
  optionalAttrs = condition: attrs: if condition then attrs else { };
  genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
  nameValuePair = name: value: { inherit name value; };
  listToAttrs = builtins.listToAttrs;
  # Merges nested attribute sets key by key; other values of `right` win.
  recursiveUpdate = left: right:
    left // builtins.mapAttrs
      (name: value:
        if builtins.isAttrs value && builtins.isAttrs (left.${name} or null)
        then recursiveUpdate left.${name} value
        else value)
      right;
}
