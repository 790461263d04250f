# Apache httpd serving a static web root (see apache.nix for the instance's
# files and modes). The root is `webRoot`, a directory: a path literal (Nix
# copies it into the store), a derivation, or an absolute path on the
# machine. Without one, the instance serves a generated page: `index` is
# copied to <stateDir>/<instanceName>/htdocs/index.html at every start.
{ nixproc, apache2, apacheModulesDir }:

{ port ? 80
, instanceSuffix ? ""
, instanceName ? "apache${instanceSuffix}"
, webRoot ? null
  # The generated index page's HTML (only without webRoot).
, index ? ''
    <!DOCTYPE html>
    <html>
      <head><title>${instanceName}</title></head>
      <body>Served by Apache httpd instance ${instanceName} on port ${toString port}</body>
    </html>
  ''
  # More httpd.conf lines, appended.
, extraConfig ? ""
}:

let
  inherit (nixproc) writeTextFile lib stateDir;
  q = lib.escapeShellArg;
  quote = value: "\"${builtins.replaceStrings [ "\\" "\"" ] [ "\\\\" "\\\"" ] (toString value)}\"";
  generatedRoot = "${stateDir}/${instanceName}/htdocs";
  documentRoot = if webRoot == null then generatedRoot else "${webRoot}";
  indexFile = writeTextFile { name = "${instanceName}-index.html"; text = index; };

  apache = import ./apache.nix { inherit nixproc apache2 apacheModulesDir; } {
    inherit instanceName port;
    description = "Apache httpd serving ${documentRoot} on port ${toString port}";
    config = ''
      DocumentRoot ${quote documentRoot}
      DirectoryIndex index.html
      <Directory ${quote documentRoot}>
        Options FollowSymLinks
        Require all granted
      </Directory>
    '' + extraConfig;
  };
in
if webRoot == null then
  apache // {
    initialize = apache.initialize + ''
      mkdir -p ${q generatedRoot}
      install -m 0644 ${q indexFile} ${q "${generatedRoot}/index.html"}
    '';
  }
else apache
