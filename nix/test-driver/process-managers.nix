# How a variant's machine brings up each process manager and deploys the
# system with it (the original's per-process-manager test modules). Every
# module is a function of the profile and gives:
#   deployProcessManager  Python test-script text run before the deploy
#   deployArgs            more arguments of every `nixproc switch`
#   environment           a shell prefix for every deploy command
#   params                (optional) parameters that replace the profile's
# `run` makes a Python statement that runs a shell command as the profile's
# deploying user (root, or `su - unprivileged`).
{ lib }:

let
  python = builtins.toJSON;
  # A shell word, quoted only when it needs to be (readable deploy commands).
  shellWord = word:
    if builtins.match "[A-Za-z0-9_./:=@%+,-]+" word != null then word else lib.escapeShellArg word;
  asUser = profile: command:
    if profile.user == null then command
    else "su - ${profile.user} -c ${lib.escapeShellArg command}";
  run = profile: command: "machine.succeed(${python (asUser profile command)})\n";
  waitUntil = profile: command: "machine.wait_until_succeeds(${python (asUser profile command)})\n";

  # Rootless podman keeps its runtime files in the user's runtime directory.
  dockerEnvironment = profile: lib.optionalString (profile.user != null) "XDG_RUNTIME_DIR=/run/user/$(id -u) ";

  plain = _profile: { deployProcessManager = ""; deployArgs = [ ]; environment = ""; };
in
{
  inherit asUser run shellWord;

  modules = {
    # Daemon-preferring: nixproc-daemon daemonises every instance.
    sysvinit = plain;
    bsdrc = plain;
    disnix = plain;
    # nixproc's supervisord and runit backends start their manager (under
    # a keeper) on the first switch.
    supervisord = plain;
    runit = plain;
    launchd = plain;
    cygrunsrv = plain;
    s6-rc = plain;

    # s6-svscan first, deployed as a process on its own.
    s6 = profile: {
      deployProcessManager = run profile "nixproc s6-svscan ${lib.concatMapStringsSep " " shellWord profile.deployArgs}"
        + "machine.wait_for_file(${python "${profile.params.runtimeDir}/nixproc-s6/service/.s6-svscan"})\n";
      deployArgs = [ ];
      environment = "";
    };

    # A systemd user manager for the deploying user (root too): the
    # machine's PID 1 is not systemd. /run/systemd/system tells systemd
    # that the system runs systemd; /run is the machine's own.
    systemd = profile:
      let
        runtime = "XDG_RUNTIME_DIR=/run/user/$(id -u)";
        user = if profile.user == null then "root" else profile.user;
        # systemd --user makes its slices below its own cgroup: one the
        # user may write, as logind would delegate it.
        start = "uid=$(id -u ${user}); install -d -m 700 -o ${user} /run/user/$uid; "
          + "for h in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd /sys/fs/cgroup; do "
          + "[ -e $h/cgroup.procs ] || continue; mkdir -p $h/user-$uid && chown -R ${user} $h/user-$uid && echo $BASHPID > $h/user-$uid/cgroup.procs; done; "
          + "XDG_RUNTIME_DIR=/run/user/$uid exec setsid runuser -u ${user} -- /lib/systemd/systemd --user </dev/null >/tmp/systemd-user-$uid.log 2>&1";
      in {
        deployProcessManager = "machine.succeed(\"mkdir -p /run/systemd/system\")\n"
          + "machine.succeed(${python "(${start}) &"})\n"
          + waitUntil profile "${runtime} systemctl --user is-system-running | grep -Eq '^(running|degraded)$'";
        deployArgs = [ "--user" ];
        environment = "${runtime} ";
      };

    # podman as the docker command, with the settings it needs here (runc,
    # no default ulimits, cgroupfs); the machine's /etc and /var are its own.
    docker = profile: {
      deployProcessManager = ''
        machine.succeed("mkdir -p /etc/containers && printf '%s\\n' '[containers]' 'default_ulimits = []' '[engine]' 'runtime = \"runc\"' 'cgroup_manager = \"cgroupfs\"' 'events_logger = \"file\"' > /etc/containers/containers.conf")
        machine.succeed("printf '%s\\n' '[storage]' 'driver = \"vfs\"' 'runroot = \"/run/containers/storage\"' 'graphroot = \"/var/lib/containers/storage\"' > /etc/containers/storage.conf")
      '' + lib.optionalString (profile.user != null)
        "machine.succeed(${python "install -d -m 700 -o ${profile.user} /run/user/$(id -u ${profile.user})"})\n"
      + run profile "${dockerEnvironment profile}podman info >/dev/null";
      deployArgs = [ "--docker-command" "podman" ]
        ++ lib.optionals (profile.user == null) [ "--state-dir" "/var/docker" ];
      environment = dockerEnvironment profile;
      # As the original's docker module: privileged, the state is not /var,
      # whose lock and run are symlinks into /run, which a container that
      # shares the state directory does not have.
      params = lib.optionalAttrs (profile.user == null) {
        stateDir = "/var/docker";
        runtimeDir = "/var/docker/run";
      };
    };
  };
}
