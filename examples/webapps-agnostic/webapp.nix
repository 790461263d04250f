# The example web application. webappMode picks how it is described: null
# (both modes: the process manager chooses), "foreground" or "daemon".
{ nixproc, webappMode ? null }:

{ port, instanceSuffix ? "", instanceName ? "webapp${instanceSuffix}" }:

let
  inherit (nixproc) createManagedProcess createCredentials tmpDir libexecDir;
  executable = "${libexecDir}/webapp";
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
else
  createManagedProcess (common // {
    process = executable;
    daemonExtraArgs = [ "-D" ];
    environment = { PORT = port; PID_FILE = pidFile; };
  })
