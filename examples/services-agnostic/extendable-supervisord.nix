# A supervisord instance whose programs can be extended after deployment
# (the original's extendableSupervisord, reference section 7.2): the
# supervisord of supervisord.nix that also includes
# <stateDir>/<instanceName>/conf.d/*.conf. Put a [program:x] file there and
# tell it to pick the file up:
#
#   cp hello.conf <stateDir>/<instanceName>/conf.d/
#   supervisorctl -c <stateDir>/<instanceName>/supervisord.conf update
#
# Those programs are state, not part of the model: nixproc neither writes nor
# removes them, and they survive redeployments (supervisord rereads conf.d
# when it restarts). The original also used this instance as the supervisord
# that nixproc-supervisord-deploy talks to; nixproc's supervisord backend
# starts its own supervisord per state dir, so here it is just a service.
{ nixproc, supervisord }:

{ instanceSuffix ? ""
, instanceName ? "supervisord${instanceSuffix}"
  # The original serves supervisorctl on 127.0.0.1:9001; null for the unix
  # socket only.
, inetHTTPServerPort ? 9001
  # Programs that are part of the model (see supervisord.nix).
, programs ? { }
, extraConfig ? ""
}:

supervisord {
  inherit instanceName inetHTTPServerPort programs extraConfig;
  includeDir = "${nixproc.stateDir}/${instanceName}/conf.d";
}
