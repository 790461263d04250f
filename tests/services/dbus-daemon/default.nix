{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  readiness = { instanceName, instance, ... }: ''
    machine.wait_for_file("${instance.socket}")
    machine.wait_until_succeeds(
        "dbus-send --bus=unix:path=${instance.socket} --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.Peer.Ping"
    )
  '';

  # The bus answers on its own socket: it lists its names, and says it runs
  # as the instance's user (privileged) or the deploying user.
  tests = { instanceName, instance, forceDisableUserChange, ... }:
    let
      busUser = if forceDisableUserChange then "unprivileged" else instanceName;
      send = "dbus-send --bus=unix:path=${instance.socket} --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus";
    in
    ''
      machine.succeed("${send} org.freedesktop.DBus.ListNames | grep -q '\"org.freedesktop.DBus\"'")
      out = machine.succeed(
          "${send} org.freedesktop.DBus.GetConnectionUnixUser string:org.freedesktop.DBus | awk '/uint32/ { print $2 }'"
      )
      uid = machine.succeed("id -u ${busUser}")
      assert out.strip() == uid.strip(), f"the bus runs as {out!r}, not ${busUser} ({uid!r})"
    '';
}
