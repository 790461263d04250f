# The builder of the compatibility set's stdenv.mkDerivation, run by /bin/sh
# with the host's tools: nixpkgs' generic builder reduced to what models need
# (buildCommand, or the phases with their pre/post hooks and overrides).
set -e

# Inputs' bin directories first, then the host's.
PATH=
for _input in $nativeBuildInputs $buildInputs $propagatedNativeBuildInputs $propagatedBuildInputs; do
  if [ -d "$_input/bin" ]; then PATH="${PATH:+$PATH:}$_input/bin"; fi
done
PATH="${PATH:+$PATH:}/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
export PATH

# runHook NAME: runs the shell code in the variable NAME (preBuild, ...).
runHook() {
  _hook=$1
  eval "_code=\${$_hook:-}"
  if [ -n "$_code" ]; then eval "$_code"; fi
}

# A store path's name without its hash.
stripHash() {
  basename "$1" | sed 's/^[a-z0-9]\{32\}-//'
}

unpackFile() {
  case "$1" in
  *.tar | *.tar.* | *.tgz | *.tbz | *.tbz2 | *.txz) tar xf "$1" ;;
  *.zip) unzip -q "$1" ;;
  *)
    if [ -d "$1" ]; then
      cp -R "$1" "$(stripHash "$1")"
      chmod -R u+w "$(stripHash "$1")"
    else
      mkdir -p source
      cp "$1" "source/$(stripHash "$1")"
      chmod u+w "source/$(stripHash "$1")"
    fi
    ;;
  esac
}

defaultUnpackPhase() {
  runHook preUnpack
  if [ -z "${srcs:-}" ]; then
    if [ -z "${src:-}" ]; then
      echo "unpackPhase: neither src nor srcs is set (set dontUnpack = true to build without sources)" >&2
      exit 1
    fi
    srcs=$src
  fi
  _before=$(ls -A)
  for _src in $srcs; do unpackFile "$_src"; done
  if [ -z "${sourceRoot:-}" ]; then
    _new=$(ls -A | grep -vxF -e "$_before" || true)
    if [ -n "$_new" ] && [ "$(printf '%s\n' "$_new" | wc -l)" -eq 1 ] && [ -d "$_new" ]; then
      sourceRoot=$_new
    else
      sourceRoot=.
    fi
  fi
  runHook postUnpack
}

defaultPatchPhase() {
  runHook prePatch
  for _patch in ${patches:-}; do patch ${patchFlags:--p1} <"$_patch"; done
  runHook postPatch
}

defaultConfigurePhase() {
  runHook preConfigure
  if [ -x ./configure ]; then ./configure --prefix="$out" ${configureFlags:-}; fi
  runHook postConfigure
}

hasMakefile() { [ -f Makefile ] || [ -f makefile ] || [ -f GNUmakefile ]; }

makeJobs() {
  if [ -n "${enableParallelBuilding:-}" ]; then echo "-j${NIX_BUILD_CORES:-1}"; fi
}

defaultBuildPhase() {
  runHook preBuild
  if hasMakefile; then
    make $(makeJobs) ${makeFlags:-} ${buildFlags:-}
  else
    echo "buildPhase: no Makefile, nothing to build"
  fi
  runHook postBuild
}

defaultCheckPhase() {
  runHook preCheck
  if hasMakefile; then make ${makeFlags:-} ${checkFlags:-} ${checkTarget:-check}; fi
  runHook postCheck
}

defaultInstallPhase() {
  runHook preInstall
  if ! hasMakefile; then
    echo "installPhase: there is no Makefile; give an installPhase that fills \$out" >&2
    exit 1
  fi
  make ${makeFlags:-} ${installFlags:-} ${installTargets:-install}
  runHook postInstall
}

defaultFixupPhase() {
  runHook preFixup
  runHook postFixup
}

# runPhase NAME: the user's code in the variable NAME, else the default.
runPhase() {
  _phase=$1
  case $_phase in
  unpackPhase) [ -z "${dontUnpack:-}" ] || return 0 ;;
  patchPhase) [ -z "${dontPatch:-}" ] || return 0 ;;
  configurePhase) [ -z "${dontConfigure:-}" ] || return 0 ;;
  buildPhase) [ -z "${dontBuild:-}" ] || return 0 ;;
  checkPhase) [ -n "${doCheck:-}" ] || return 0 ;;
  installPhase) [ -z "${dontInstall:-}" ] || return 0 ;;
  fixupPhase) [ -z "${dontFixup:-}" ] || return 0 ;;
  esac
  echo "$_phase"
  eval "_code=\${$_phase:-}"
  if [ -n "$_code" ]; then
    eval "$_code"
  else
    case $_phase in
    unpackPhase | patchPhase | configurePhase | buildPhase | checkPhase | installPhase | fixupPhase)
      "default$(echo "$_phase" | cut -c1 | tr a-z A-Z)$(echo "$_phase" | cut -c2-)"
      ;;
    *)
      echo "$_phase: no such phase and no variable $_phase with its code" >&2
      exit 1
      ;;
    esac
  fi
  if [ "$_phase" = unpackPhase ]; then cd "$sourceRoot"; fi
}

if [ -n "${buildCommandPath:-}" ]; then
  . "$buildCommandPath"
elif [ -n "${buildCommand:-}" ]; then
  eval "$buildCommand"
else
  for _phase in ${phases:-${prePhases:-} unpackPhase patchPhase ${preConfigurePhases:-} configurePhase \
    ${preBuildPhases:-} buildPhase checkPhase ${preInstallPhases:-} installPhase \
    ${preFixupPhases:-} fixupPhase ${postPhases:-}}; do
    runPhase "$_phase"
  done
fi
