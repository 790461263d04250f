# A D-Bus message bus instance of its own (not the system or session bus):
# listens on the Unix domain socket <runtimeDir>/<instanceName>/bus_socket
# (clients use --bus=unix:path=<that>, or DBUS_SESSION_BUS_ADDRESS),
# authenticates clients by their Unix credentials (EXTERNAL) and lets every
# connected client own names and send messages. Its configuration is
# generated (no /etc/dbus-1 file is read). Both modes are described: in the
# foreground (`--nofork`), or daemonised by dbus-daemon itself, which writes
# <runtimeDir>/<instanceName>/pid.
#
# It runs as the user and group <instanceName>; with forceDisableUserChange,
# as the deploying user. Only the bus's own user may connect, and the
# `allowUsers` (user names; "*" is everyone).
{ nixproc, dbus }:

{ instanceSuffix ? ""
, instanceName ? "dbus${instanceSuffix}"
, allowUsers ? [ ]
  # More XML elements inside <busconfig>, appended.
, extraConfig ? ""
}:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) runtimeDir forceDisableUserChange;
  q = lib.escapeShellArg;
  user = instanceName;
  group = instanceName;
  busDir = "${runtimeDir}/${instanceName}";
  socket = "${busDir}/bus_socket";
  pidFile = "${busDir}/pid";
  # XML character data and attribute values.
  xml = v: builtins.replaceStrings [ "&" "<" ">" "\"" "'" ] [ "&amp;" "&lt;" "&gt;" "&quot;" "&apos;" ] (toString v);
  # The D-Bus address syntax escapes bytes outside [-0-9A-Za-z_/.\*] as %XX;
  # the paths here need that only for these.
  address = builtins.replaceStrings [ "%" " " "," ";" "=" ] [ "%25" "%20" "%2c" "%3b" "%3d" ] socket;

  configFile = writeTextFile {
    name = "${instanceName}.conf";
    text = ''
      <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
       "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
      <busconfig>
        <type>${xml instanceName}</type>
        <listen>unix:path=${xml address}</listen>
        <auth>EXTERNAL</auth>
        <pidfile>${xml pidFile}</pidfile>
        <policy context="default">
      ${lib.concatMapStrings (u: "    <allow user=\"${xml u}\"/>\n") allowUsers
      }    <allow own="*"/>
          <allow send_destination="*" eavesdrop="true"/>
          <allow eavesdrop="true"/>
        </policy>
      ${extraConfig}</busconfig>
    '';
  };
in
createManagedProcess {
  inherit instanceName user pidFile;
  description = "D-Bus message bus ${instanceName}";
  initialize = ''
    mkdir -p ${q busDir}
  '' + lib.optionalString (!forceDisableUserChange) ''
    chown ${q "${user}:${group}"} ${q busDir}
  '';
  process = "${dbus}/bin/dbus-daemon";
  args = [ "--config-file=${configFile}" ];
  foregroundProcessExtraArgs = [ "--nofork" "--nopidfile" ];
  daemonExtraArgs = [ "--fork" ];
  credentials = createCredentials {
    groups.${group} = { };
    users.${user} = { inherit group; description = "D-Bus bus ${instanceName} user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
