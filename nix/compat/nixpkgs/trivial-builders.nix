# nixpkgs' trivial builders with nixpkgs' signatures. Their results are in
# the Nix store when evaluation ends, so they can be the src or an input of
# another build. A plain file whose text names no build output goes in with
# builtins.toFile (no build, as fast as nixproc's own files); everything
# else is a real derivation built by /bin/sh.
{ lib, stdenv }:

let
  runtimeShell = "/bin/bash";

  # toFile refuses text that names a derivation's output.
  namesBuildOutputs = text:
    builtins.any (entry: entry ? outputs || entry ? allOutputs)
      (builtins.attrValues (builtins.getContext text));

  runCommand = name: env: buildCommand:
    stdenv.mkDerivation ({
      inherit name buildCommand;
      passAsFile = [ "buildCommand" ];
      preferLocalBuild = true;
      allowSubstitutes = false;
    } // env);

  writeTextFile =
    { name
    , text
    , executable ? false
    , destination ? ""
    , checkPhase ? ""
    , meta ? { }
    , allowSubstitutes ? false
    , preferLocalBuild ? true
    , derivationArgs ? { }
    }:
    if destination == "" && checkPhase == "" && derivationArgs == { } && !executable
      && !namesBuildOutputs text then
      { inherit name text executable meta; outPath = builtins.toFile name text; }
    else if destination != "" && !lib.hasPrefix "/" destination then
      throw "writeTextFile ${name}: destination ${builtins.toJSON destination} must start with /"
    else
      runCommand name
        ({
          inherit text destination checkPhase meta allowSubstitutes preferLocalBuild;
          executable = if executable then "1" else "";
          passAsFile = [ "text" "buildCommand" ];
        } // derivationArgs)
        ''
          target=$out$destination
          mkdir -p "$(dirname "$target")"
          cp "$textPath" "$target"
          if [ -n "$executable" ]; then chmod +x "$target"; fi
          eval "$checkPhase"
        '';

  writeShellScriptText = text: "#!${runtimeShell}\n${text}";

  # The link tree of several packages; host prefixes (not in the store)
  # contribute their bin and sbin only, not all of /usr.
  symlinkJoin = { name, paths, postBuild ? "", ... }@args:
    runCommand name
      (builtins.removeAttrs args [ "name" "paths" "postBuild" ] // {
        inherit paths postBuild;
      })
      ''
        mkdir -p "$out"
        for path in $paths; do
          case $path in
          "$NIX_STORE"/*) entries="$path"/* ;;
          *) entries="$path/bin $path/sbin" ;;
          esac
          for entry in $entries; do
            if [ -e "$entry" ]; then cp -rsf --no-preserve=mode "$entry" "$out/"; fi
          done
        done
        eval "$postBuild"
      '';
in
{
  inherit runtimeShell runCommand writeTextFile symlinkJoin;
  runCommandNoCC = runCommand;
  runCommandLocal = runCommand;
  runCommandCC = runCommand;

  writeText = name: text: writeTextFile { inherit name text; };
  writeScript = name: text: writeTextFile { inherit name text; executable = true; };
  writeTextDir = path: text:
    writeTextFile { name = builtins.baseNameOf path; inherit text; destination = "/${path}"; };
  writeScriptBin = name: text:
    writeTextFile { inherit name text; executable = true; destination = "/bin/${name}"; };
  writeShellScript = name: text:
    writeTextFile { inherit name; executable = true; text = writeShellScriptText text; };
  writeShellScriptBin = name: text:
    writeTextFile {
      inherit name;
      executable = true;
      destination = "/bin/${name}";
      text = writeShellScriptText text;
    };

  buildEnv = { name, paths, postBuild ? "", ... }: symlinkJoin { inherit name paths postBuild; };

  # @name@ in the file replaced by the attribute `name`, as nixpkgs'
  # substituteAll does.
  substituteAll = { src, name ? null, isExecutable ? false, ... }@args:
    let
      values = builtins.removeAttrs args [ "src" "name" "isExecutable" ];
      names = builtins.attrNames values;
      # A store path's base name without its hash.
      fileName = builtins.elemAt
        (builtins.match "([a-z0-9]{32}-)?(.*)" (builtins.baseNameOf (toString src))) 1;
    in
    writeTextFile {
      name = if name != null then name else builtins.unsafeDiscardStringContext fileName;
      executable = isExecutable;
      text = builtins.replaceStrings (map (n: "@${n}@") names)
        (map (n: toString values.${n}) names)
        (builtins.readFile src);
    };
}
