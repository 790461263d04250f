# Evaluates a processes model for nixproc: applies the parameters the model
# declares and turns the result into plain data (functions become markers so
# nixproc can name the instance and field that holds one). With `idsFile`
# (nixproc --ids), the file's `ids` become the model's `ids` parameter.
{ exprFile, paramsJSON, extraParams ? { }, idsFile ? "" }:

let
  idsConfig =
    if idsFile == "" then null
    else if builtins.match ".*\\.json" idsFile != null then builtins.fromJSON (builtins.readFile idsFile)
    else import idsFile;
  idsParams = if idsConfig == null then { } else { ids = idsConfig.ids or { }; };
  params = { system = builtins.currentSystem; } // builtins.fromJSON paramsJSON // idsParams // extraParams;
  model = import exprFile;
  declares = name: builtins.isFunction model && (builtins.functionArgs model) ? ${name};
  result =
    if idsConfig != null && !(declares "ids")
    then throw "--ids was given, but the model does not take an `ids` parameter (declare `ids ? { }` and pass it to the constructors)"
    else if builtins.isFunction model
    then model (builtins.intersectAttrs (builtins.functionArgs model) params)
    else model;

  # A string that refers to the Nix store (a derivation's output, a path
  # literal copied there) is reported with the instance it belongs to, so
  # nixproc can build and root what each instance needs before it deploys.
  reportContext = key: value:
    if builtins.hasContext value
    then builtins.trace "nixproc-context ${builtins.toJSON { instance = key; context = builtins.getContext value; }}" value
    else value;

  toData = key: value:
    if builtins.isFunction value then { __nixprocFunction = true; }
    else if builtins.isAttrs value then
      (if value ? outPath || value ? __toString then reportContext key (toString value)
       else builtins.mapAttrs (name: toData key) value)
    else if builtins.isList value then map (toData key) value
    # Copied to the store, as Nix does with a path in a derivation.
    else if builtins.isPath value then reportContext key "${value}"
    else if builtins.isString value then reportContext key value
    else value;
in
if builtins.isAttrs result then builtins.mapAttrs toData result else toData "" result
