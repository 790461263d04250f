#include "core/installation.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "util/error.h"
#include "util/fs.h"

#ifndef NIXPROC_SOURCE_DATADIR
#error "NIXPROC_SOURCE_DATADIR must be defined by the build"
#endif

namespace nixproc {

static std::string executable_dir() {
  return fs::dirname(fs::real_path("/proc/self/exe"));
}

Installation locate_installation() {
  std::string bin = executable_dir();
  Installation found;
  std::string data;
  if (const char* override_dir = std::getenv("NIXPROC_DATA_DIR"); override_dir && *override_dir) {
    data = override_dir;
  } else if (fs::exists(bin + "/../share/nixproc/nix/eval-model.nix")) {
    data = fs::real_path(bin + "/../share/nixproc");
  } else {
    data = NIXPROC_SOURCE_DATADIR;  // running from the build tree
  }
  found.nix_dir = data + "/nix";
  found.share_dir = fs::exists(data + "/share/nixproc/init-functions") ? data + "/share/nixproc"
                                                                       : data + "/share";
  found.examples_dir = data + "/examples";
  std::string libexec = bin + "/../libexec/nixproc";
  found.libexec_dir = fs::exists(libexec + "/nixproc-daemon") ? fs::real_path(libexec) : bin;
  if (!fs::exists(found.nix_dir + "/eval-model.nix"))
    throw Error("cannot find nixproc's Nix library in " + found.nix_dir +
                " (set NIXPROC_DATA_DIR to the directory holding nix/ and share/)");
  return found;
}

static std::string home_directory() {
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  if (struct passwd* entry = ::getpwuid(::geteuid())) return entry->pw_dir;
  throw Error("cannot determine the home directory; set NIXPROC_HOME");
}

Home resolve_home(const std::optional<std::string>& option) {
  Home home;
  if (option && !option->empty()) {
    home.root = fs::absolute_path(*option);
  } else if (const char* variable = std::getenv("NIXPROC_HOME"); variable && *variable) {
    home.root = fs::absolute_path(variable);
  } else if (::geteuid() == 0) {
    home.root = "/var/lib/nixproc";
  } else if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) {
    home.root = std::string(xdg) + "/nixproc";
  } else {
    home.root = home_directory() + "/.local/state/nixproc";
  }
  home.store = home.root + "/store";
  home.profiles = home.root + "/profiles";
  home.gcroots = home.root + "/gcroots";
  home.nix_roots = home.root + "/nix-roots";
  return home;
}

void prepare_home(const Home& home) {
  for (const auto* dir : {&home.store, &home.profiles, &home.gcroots, &home.nix_roots})
    fs::make_directories(*dir);
}

}  // namespace nixproc
