# What `nixproc image FILE` reads first: the image description FILE gives
# (createMultiProcessImage and the like, called with its defaults), or null
# when FILE is a processes model.
{ file }:
let
  value = import file;
  result = if builtins.isFunction value then value { } else value;
in
if builtins.isAttrs result && (result.type or null) == "nixproc-image" then result else null
