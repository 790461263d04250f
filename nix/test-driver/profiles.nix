# The configuration profiles a suite is tested with (the original's
# privileged and unprivileged profiles). `params` reach the processes model
# and the test callbacks; `deployArgs` reach every deploy command; `user`
# runs the deploy commands (null: root).
{
  privileged = {
    params = {
      stateDir = "/var";
      runtimeDir = "/var/run";
      forceDisableUserChange = false;
    };
    deployArgs = [ ];
    user = null;
  };

  unprivileged = {
    params = {
      stateDir = "/home/unprivileged/var";
      runtimeDir = "/home/unprivileged/var/run";
      forceDisableUserChange = true;
      callingUser = "unprivileged";
      callingGroup = "users";
    };
    deployArgs = [ "--state-dir" "/home/unprivileged/var" "--force-disable-user-change" ];
    # The machine creates this user (uid 1000, group users, home /home/unprivileged).
    user = "unprivileged";
  };
}
