# An xinetd instance: listens on the ports of its `services` and starts a
# server per connection (or answers itself, for its INTERNAL services). Its
# configuration is generated from `services`, so the host's /etc/xinetd.conf
# and /etc/xinetd.d are not read; xinetd's own messages go to
# <logDir>/<instanceName>/xinetd.log and the services' log lines to
# services.log there. Both modes are described: in the foreground
# (`-dontfork`), or daemonised by xinetd itself; it writes its PID file,
# <runtimeDir>/<instanceName>.pid, in both.
#
# xinetd runs as the process manager's user. Privileged, that is root and
# every service without its own `user` runs as the user and group
# <instanceName>-service, which it declares. With forceDisableUserChange,
# xinetd and the services run as the deploying user: xinetd still wants a
# `user` for every service and switches to it, so services get
# `callingUser` (pass the model's parameter of that name).
#
# services: { <name> = { <attribute> = value or list of values; ... }; },
# xinetd.conf(5)'s attributes, e.g.
#   hello = { type = "UNLISTED"; socket_type = "stream"; protocol = "tcp";
#             wait = "no"; port = 7001; server = "/bin/echo"; server_args = [ "hi" ]; };
{ nixproc, xinetd }:

{ instanceSuffix ? ""
, instanceName ? "xinetd${instanceSuffix}"
, callingUser ? null
, services ? { }
  # Attributes of the `defaults` section.
, defaults ? { }
}:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) runtimeDir logDir forceDisableUserChange;
  q = lib.escapeShellArg;
  serviceUser = "${instanceName}-service";
  instanceLogDir = "${logDir}/${instanceName}";
  pidFile = "${runtimeDir}/${instanceName}.pid";

  # xinetd.conf has no quoting: a value is words separated by blanks, on
  # one line.
  value = name: v:
    let s = lib.concatMapStringsSep " " toString (lib.toList v); in
    if builtins.replaceStrings [ "\n" ] [ "" ] s != s
    then throw "xinetd ${instanceName}: the value of ${name} may not span lines"
    else s;
  section = header: attrs: ''
    ${header}
    {
    ${lib.concatStrings (lib.mapAttrsToList (name: v: "  ${name} = ${value name v}\n") attrs)}}
  '';
  defaultUser =
    if !forceDisableUserChange then { user = serviceUser; group = serviceUser; }
    else if callingUser != null then { user = callingUser; }
    else throw "xinetd ${instanceName}: with forceDisableUserChange its services need a user: give callingUser";
  withUser = attrs: (if attrs ? user then { } else defaultUser) // attrs;

  configFile = writeTextFile {
    name = "${instanceName}.conf";
    text = section "defaults" ({ log_type = "FILE ${instanceLogDir}/services.log"; } // defaults)
      + lib.concatStrings (lib.mapAttrsToList (name: attrs: section "service ${name}" (withUser attrs)) services);
  };
in
createManagedProcess {
  inherit instanceName pidFile;
  description = "xinetd ${instanceName}";
  initialize = ''
    mkdir -p ${q instanceLogDir}
  '';
  process = "${xinetd}/sbin/xinetd";
  # -stayalive: keep running while no service is enabled.
  args = [ "-f" configFile "-pidfile" pidFile "-filelog" "${instanceLogDir}/xinetd.log" "-stayalive" ];
  foregroundProcessExtraArgs = [ "-dontfork" ];
  credentials = createCredentials {
    groups.${serviceUser} = { };
    users.${serviceUser} = { group = serviceUser; description = "xinetd ${instanceName} services"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
