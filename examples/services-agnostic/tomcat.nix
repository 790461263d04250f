# An Apache Tomcat instance (Debian's tomcat10): the installation is
# CATALINA_HOME (`tomcat`, shared and read-only), each instance has its own
# CATALINA_BASE, <libDir>/<instanceName> (as Debian's /var/lib/tomcat10):
#
#   conf/     server.xml (generated: the HTTP `port` and the `shutdownPort`),
#             web.xml (the installation's default one) and logging.properties
#             (to the console), installed at every start
#   webapps/  the `webapps` (name -> a directory or a .war), copied afresh at
#             every start, and a ROOT with the generated `index` page (a JSP)
#             unless `webapps` has a ROOT
#   work/, temp/
#
# The access log is in <logDir>/<instanceName>/; Tomcat's own log goes to
# its standard output (the process manager's log, or catalina.out there).
# Tomcat runs as the user <instanceName> (it never switches users itself),
# through catalina.sh: `catalina.sh run` (java in the foreground), or
# `catalina.sh start`, which starts java in the background and writes its
# PID to CATALINA_PID, in tmpDir since the instance's user writes it.
{ nixproc, tomcat }:

{ port ? 8080
  # Tomcat's shutdown port on localhost (-1: none, as in Debian; process
  # managers stop Tomcat with SIGTERM either way).
, shutdownPort ? -1
, instanceSuffix ? ""
, instanceName ? "tomcat${instanceSuffix}"
  # Web applications, by context name ("ROOT" is /): a directory (a path
  # literal, derivation or absolute path) or a .war file.
, webapps ? { }
  # The ROOT application's index.jsp, when webapps has no ROOT.
, index ? ''
    <%@ page contentType="text/html; charset=UTF-8" %>
    <!DOCTYPE html>
    <html>
      <head><title>${instanceName}</title></head>
      <body>Served by Tomcat instance ${instanceName} on port <%= request.getLocalPort() %>
        (<%= application.getServerInfo() %>)</body>
    </html>
  ''
  # The JVM's options (JAVA_OPTS; catalina.sh splits it at spaces).
, javaOpts ? [ "-Djava.awt.headless=true" "-Xmx256m" "-XX:+UseSerialGC" ]
  # The Java installation; null: catalina.sh takes the `java` on PATH.
, javaHome ? null
}:

let
  inherit (nixproc) createManagedProcess createCredentials writeTextFile lib;
  inherit (nixproc) libDir logDir tmpDir forceDisableUserChange;
  q = lib.escapeShellArg;
  xml = value: builtins.replaceStrings [ "&" "<" ">" "\"" ] [ "&amp;" "&lt;" "&gt;" "&quot;" ] (toString value);
  user = instanceName;
  group = instanceName;
  base = "${libDir}/${instanceName}";
  instanceLogDir = "${logDir}/${instanceName}";
  pidFile = "${tmpDir}/${instanceName}.pid";

  serverXml = writeTextFile {
    name = "${instanceName}-server.xml";
    text = ''
      <?xml version="1.0" encoding="UTF-8"?>
      <Server port="${toString shutdownPort}" address="localhost" shutdown="SHUTDOWN">
        <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
        <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
        <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener" />
        <Service name="Catalina">
          <Connector port="${toString port}" protocol="HTTP/1.1" connectionTimeout="20000" maxParameterCount="1000" />
          <Engine name="Catalina" defaultHost="localhost">
            <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false">
              <Valve className="org.apache.catalina.valves.AccessLogValve" directory="${xml instanceLogDir}"
                     prefix="access" suffix=".log" rotatable="false" buffered="false" pattern="common" />
            </Host>
          </Engine>
        </Service>
      </Server>
    '';
  };

  loggingProperties = writeTextFile {
    name = "${instanceName}-logging.properties";
    text = ''
      handlers = java.util.logging.ConsoleHandler
      .handlers = java.util.logging.ConsoleHandler
      java.util.logging.ConsoleHandler.level = FINE
      java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
      java.util.logging.ConsoleHandler.encoding = UTF-8
    '';
  };

  indexFile = writeTextFile { name = "${instanceName}-index.jsp"; text = index; };

  installWebapp = name: source:
    let target = "${base}/webapps/${name}${lib.optionalString (lib.hasSuffix ".war" "${source}") ".war"}"; in
    if builtins.match "[A-Za-z0-9._~#-]+" name == null then
      throw "tomcat ${instanceName}: webapp name ${builtins.toJSON name} is not a plain context name"
    else ''
      cp -R --no-preserve=mode,ownership ${q "${source}"} ${q target}
    '';
in
createManagedProcess {
  inherit instanceName user pidFile;
  description = "Apache Tomcat on port ${toString port}";
  initialize = ''
    mkdir -p ${q "${base}/conf"} ${q "${base}/work"} ${q "${base}/temp"} ${q instanceLogDir}
    install -m 0644 ${q serverXml} ${q "${base}/conf/server.xml"}
    install -m 0644 ${q "${tomcat}/etc/web.xml"} ${q "${base}/conf/web.xml"}
    install -m 0644 ${q loggingProperties} ${q "${base}/conf/logging.properties"}
    rm -rf ${q "${base}/webapps"}
    mkdir -p ${q "${base}/webapps"}
  '' + lib.concatStrings (lib.mapAttrsToList installWebapp webapps)
  + lib.optionalString (!(webapps ? ROOT)) ''
    mkdir -p ${q "${base}/webapps/ROOT"}
    install -m 0644 ${q indexFile} ${q "${base}/webapps/ROOT/index.jsp"}
  '' + lib.optionalString (!forceDisableUserChange) ''
    chown -R ${q "${user}:${group}"} ${q "${base}/webapps"} ${q "${base}/work"} ${q "${base}/temp"}
    chown ${q "${user}:${group}"} ${q instanceLogDir}
  '';
  process = "${tomcat}/bin/catalina.sh";
  foregroundProcessExtraArgs = [ "run" ];
  daemonExtraArgs = [ "start" ];
  environment = {
    CATALINA_HOME = tomcat;
    CATALINA_BASE = base;
    CATALINA_PID = pidFile;
    CATALINA_OUT = "${instanceLogDir}/catalina.out";
    JAVA_OPTS = lib.concatStringsSep " " javaOpts;
  } // lib.optionalAttrs (javaHome != null) { JAVA_HOME = javaHome; };
  credentials = createCredentials {
    groups.${group} = { };
    users.${user} = { inherit group; homeDir = base; description = "Tomcat user"; };
  };
  overrides.sysvinit.runlevels = [ 3 4 5 ];
}
