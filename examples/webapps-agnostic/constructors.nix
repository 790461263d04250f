# The constructors of the example system: functions of the instance
# parameters that return process configs. `nixproc` is the library applied
# to the common parameters (stateDir, forceDisableUserChange, ids, ...),
# `nginx` the nginx executable (Debian's by default) and `webappMode` how
# the webapp is described: null (both modes, the process manager picks),
# "foreground" or "daemon".
{ nixproc, nginx ? "/usr/sbin/nginx", webappMode ? null }:

{
  webapp = import ./webapp.nix { inherit nixproc webappMode; };
  nginxReverseProxyHostBased = import ./nginx-reverse-proxy-hostbased.nix { inherit nixproc nginx; };
  nginxReverseProxyPathBased = import ./nginx-reverse-proxy-pathbased.nix { inherit nixproc nginx; };
}
