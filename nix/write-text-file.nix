# Files a model generates (nginx.conf, scripts). Nothing is built: the value
# turns into the file's path in the nixproc store, computed from its content,
# and the library reports the file on stderr so nixproc can write it there
# before it deploys (see docs/model-format.md).
{ storeDir }:

rec {
  writeTextFile = { name, text, executable ? false, destination ? "" }:
    if destination != "" then
      throw "writeTextFile ${name}: destination is not supported; nixproc stores single files"
    else
      let
        mode = if executable then "x" else "-";
        hash = builtins.substring 0 32 (builtins.hashString "sha256" "nixproc-file:${mode}:${name}\n${text}");
        path = "${storeDir}/${hash}-${name}";
        record = builtins.toJSON { inherit path name text executable; };
      in
      {
        type = "nixproc-file";
        inherit name;
        # Reported only when the path is used, so unused files are not written.
        outPath = builtins.trace "nixproc-file ${record}" path;
      };

  writeText = name: text: writeTextFile { inherit name text; };

  writeScript = name: text: writeTextFile { inherit name text; executable = true; };
}
