# The example web application (nixproc's `webapp`, installed in libexecDir):
# serves a page naming its PORT; with -D it daemonises and writes its PID to
# PID_FILE. webappMode picks how it is described (reference section 7.1):
# null (both modes, the process manager picks), "foreground" or "daemon".
{ nixproc, webappMode ? null }:

{ port, instanceSuffix ? "", instanceName ? "webapp${instanceSuffix}" }:

let
  inherit (nixproc) createManagedProcess createCredentials tmpDir libexecDir;
  executable = "${libexecDir}/webapp";
  # Where the daemon writes its PID. With `user` set, nixproc's default PID
  # file is <tmpDir>/<instanceName>.pid too, so it finds the daemon there.
  pidFile = "${tmpDir}/${instanceName}.pid";
  common = {
    inherit instanceName;
    description = "Simple web application";
    user = instanceName;
    credentials = createCredentials {
      groups.${instanceName} = { };
      users.${instanceName} = { group = instanceName; description = "Webapp"; };
    };
    overrides.sysvinit.runlevels = [ 3 4 5 ];
  };
in
if webappMode == "foreground" then
  createManagedProcess (common // {
    foregroundProcess = executable;
    environment.PORT = port;
  })
else if webappMode == "daemon" then
  createManagedProcess (common // {
    daemon = executable;
    daemonArgs = [ "-D" ];
    environment = { PORT = port; PID_FILE = pidFile; };
    inherit pidFile;
  })
else if webappMode == null then
  createManagedProcess (common // {
    process = executable;
    daemonExtraArgs = [ "-D" ];
    environment = { PORT = port; PID_FILE = pidFile; };
  })
else
  throw "webapp: unknown webappMode ${builtins.toJSON webappMode}: use null, \"foreground\" or \"daemon\""
