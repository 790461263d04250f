# Internal helpers of the create* functions: turning parameters into plain
# data and dependencies into process names. Not part of the public API.
rec {
  # Files (anything with an outPath, such as writeTextFile's result) become
  # their paths, Nix path literals become absolute path strings (never copied
  # to a store), and attribute sets and lists are converted element by
  # element. Functions stay functions: nixproc reports them with the
  # instance and field that hold them.
  toData = value:
    if builtins.isAttrs value then
      (if value ? outPath || value ? __toString then toString value
       else builtins.mapAttrs (name: toData) value)
    else if builtins.isList value then map toData value
    else if builtins.isPath value then toString value
    else value;

  # How an error message refers to the config being created.
  label = function: params:
    let
      name = params.name or null;
      instanceName = params.instanceName or null;
    in
    if builtins.isString name then "${function} \"${name}\""
    else if builtins.isString instanceName then "${function} \"${instanceName}\""
    else function;

  describe = value:
    if builtins.isAttrs value then
      "an attribute set with the attributes [ ${builtins.concatStringsSep " " (builtins.attrNames value)} ]"
    else "a ${builtins.typeOf value}";

  # A dependency is another process config (its `name`, else its
  # `instanceName`, names it) or a process name.
  dependencyName = where: index: dependency:
    let
      name = dependency.name or null;
      instanceName = dependency.instanceName or null;
      hint =
        if builtins.isAttrs dependency && dependency ? pkg
        then " (it looks like a model instance: depend on its `pkg` instead)"
        else " (pass another process config, e.g. `webapp.pkg`, or a process name)";
    in
    if builtins.isString dependency then dependency
    else if builtins.isAttrs dependency && builtins.isString name then name
    else if builtins.isAttrs dependency && builtins.isString instanceName then instanceName
    else throw "${where}: dependencies, element ${toString index}: ${describe dependency} has no name or instanceName${hint}";

  dependencyNames = where: dependencies:
    if builtins.isList dependencies then
      builtins.genList (index: dependencyName where index (builtins.elemAt dependencies index))
        (builtins.length dependencies)
    else throw "${where}: dependencies must be a list, got ${describe dependencies}";

  # The record of a create* call: the parameters that were passed (as data),
  # the config's type, and dependencies as names.
  record = { where, type, params, drop ? [ ] }:
    builtins.mapAttrs (name: toData) (builtins.removeAttrs params ([ "dependencies" ] ++ drop))
    // { inherit type; }
    // (if params ? dependencies && params.dependencies != null
        then { dependencies = dependencyNames where params.dependencies; }
        else { });

  # postInstall, as in the original, adds files to the process's package:
  # nixproc runs it when it builds the profile, with $out an empty directory,
  # and puts what it leaves there into the profile (docs/compat.md). Kept
  # only when it is not empty.
  checkPostInstall = where: postInstall: result:
    if postInstall == null || postInstall == "" then result
    else if !builtins.isString postInstall then
      throw "${where}: postInstall must be a string (shell commands), got ${describe postInstall}"
    else result // { inherit postInstall; };

  # The original's generators applied createCredentials (and so the
  # model's ids) to every config's credentials; the constructors do the same
  # with the createCredentials they were given (default.nix passes the one
  # bound to the library's ids).
  withIds = createCredentials: params:
    # Only a { groups?, users? } set: anything else is left for nixproc to
    # report with the instance and field.
    if createCredentials != null && builtins.isAttrs (params.credentials or null)
       && builtins.removeAttrs params.credentials [ "groups" "users" ] == { }
       && builtins.all builtins.isAttrs (builtins.attrValues params.credentials)
    then params // { credentials = createCredentials params.credentials; }
    else params;

  # The original took the text of s6-rc's run/finish/up/down as files: a
  # writeTextFile result (nixproc's, or nixpkgs' and the compatibility set's,
  # which keep `text` too) gives its text, a path literal is read; text stays
  # text.
  fileText = value:
    if builtins.isAttrs value && builtins.isString (value.text or null) then value.text
    else if builtins.isPath value then builtins.readFile value
    else value;

  checkNamed = where: params: result:
    if (params.name or null) == null && (params.instanceName or null) == null
    then throw "${where}: no process name was specified or can be inferred: give name or instanceName"
    else result;
}
