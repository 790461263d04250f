{ pkgs, testService, processManagers, profiles }@args:

(import ../lib.nix).suite args {
  exprFile = ./processes.nix;

  readiness = { instanceName, instance, ... }: ''
    machine.wait_for_open_port(${toString instance.port})
    machine.wait_for_open_port(${toString instance.echoPort})
    machine.wait_for_open_port(${toString instance.whoamiPort})
  '';

  # The hello service's server answers with the instance's name, the
  # internal echo service sends back what it gets, and the servers run as
  # the instance's service user (privileged) or the deploying user.
  tests = { instanceName, instance, forceDisableUserChange, ... }:
    let
      serviceUser = if forceDisableUserChange then "unprivileged" else "${instanceName}-service";
    in
    ''
      # /dev/tcp is bash's
      def answer(port, send=""):
          return machine.succeed(
              f"bash -c 'exec 3<>/dev/tcp/127.0.0.1/{port} && printf \"{send}\" >&3 && head -n 1 <&3'"
          ).strip()

      out = answer(${toString instance.port})
      assert out == "hello from ${instanceName}", f"hello answered {out!r}"
      out = answer(${toString instance.echoPort}, "ping-${instanceName}\\n")
      assert out == "ping-${instanceName}", f"echo answered {out!r}"
      out = answer(${toString instance.whoamiPort})
      assert out == "${serviceUser}", f"whoami answered {out!r}"
    '';
}
