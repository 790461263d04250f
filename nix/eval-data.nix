# Evaluates a file of plain data for nixproc (ID resources, ID assignments):
# a function is applied to no arguments, so `{ ... }:` files work too.
{ file }:

let value = import file;
in if builtins.isFunction value then value { } else value
