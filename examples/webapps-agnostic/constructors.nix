# The constructors of the example system: functions that take instance
# parameters and return process configs, with the shared settings applied.
{ nixproc, nginx ? "/usr/sbin/nginx", webappMode ? null }:

{
  webapp = import ./webapp.nix { inherit nixproc webappMode; };
  nginxReverseProxyHostBased = import ./nginx-reverse-proxy-hostbased.nix { inherit nixproc nginx; };
}
