# Evaluates a processes model for nixproc: applies the parameters the model
# declares and turns the result into plain data (functions become markers so
# nixproc can name the instance and field that holds one).
{ exprFile, paramsJSON, extraParams ? { } }:

let
  params = { system = builtins.currentSystem; } // builtins.fromJSON paramsJSON // extraParams;
  model = import exprFile;
  result =
    if builtins.isFunction model
    then model (builtins.intersectAttrs (builtins.functionArgs model) params)
    else model;

  toData = value:
    if builtins.isFunction value then { __nixprocFunction = true; }
    else if builtins.isAttrs value then
      (if value ? outPath || value ? __toString then toString value
       else builtins.mapAttrs (name: toData) value)
    else if builtins.isList value then map toData value
    else if builtins.isPath value then toString value
    else value;
in
if builtins.isAttrs result then builtins.mapAttrs (name: toData) result else toData result
