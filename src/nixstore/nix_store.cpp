#include "nixstore/nix_store.h"

#include <grp.h>
#include <unistd.h>

#include <cstdlib>

#include "util/error.h"
#include "util/fs.h"
#include "util/quote.h"

namespace nixproc {

const char* const kNixStoreHelp =
    "Nix store the model's software is built in: auto (default: NIX_REMOTE if set; the system "
    "store /nix/store for root or when writable; the Nix daemon when running; else a private "
    "store in <nixproc-home>/nix), system, private, or a Nix store URI (env NIXPROC_NIX_STORE)";

static const char* const kSystemStoreDir = "/nix/store";
static const char* const kDaemonSocket = "/nix/var/nix/daemon-socket/socket";

static NixStore system_store() {
  NixStore store;
  store.store_dir = kSystemStoreDir;
  store.description = "the system store /nix/store";
  return store;
}

static NixStore private_store(const Home& home) {
  std::string base = home.root + "/nix";
  NixStore store;
  store.store_dir = base + "/store";
  store.uri = "local?store=" + base + "/store&state=" + base + "/var&log=" + base + "/log";
  store.description = "the private store " + store.store_dir;
  // No binary cache serves paths outside /nix/store.
  store.no_substitutes = true;
  return store;
}

static NixStore daemon_store() {
  NixStore store;
  store.uri = "daemon";
  store.store_dir = kSystemStoreDir;
  store.description = "the system store /nix/store, through the Nix daemon";
  return store;
}

// A URI names its store directory with ?store=...; everything else keeps /nix/store.
static NixStore store_from_uri(const std::string& uri) {
  NixStore store;
  store.uri = uri;
  store.store_dir = kSystemStoreDir;
  if (auto at = uri.find("store=");
      at != std::string::npos && at > 0 && (uri[at - 1] == '?' || uri[at - 1] == '&'))
    store.store_dir = uri.substr(at + 6, uri.find('&', at) - (at + 6));
  store.description = "the Nix store " + quote(uri, 200);
  return store;
}

// Root builds without the nixbld group Nix expects by default as root
// (nothing else can be done without it); a daemon has its own settings.
static NixStore with_build_users(NixStore store) {
  store.no_build_users =
      store.uri != "daemon" && ::geteuid() == 0 && ::getgrnam("nixbld") == nullptr;
  return store;
}

static NixStore choose(const std::string& choice_option, const Home& home);

NixStore choose_nix_store(const std::string& choice, const Home& home) {
  return with_build_users(choose(choice, home));
}

static NixStore choose(const std::string& choice_option, const Home& home) {
  std::string choice = choice_option;
  if (choice.empty())
    if (const char* variable = std::getenv("NIXPROC_NIX_STORE"); variable && *variable)
      choice = variable;
  if (choice.empty() || choice == "auto") {
    if (const char* remote = std::getenv("NIX_REMOTE"); remote && *remote)
      return store_from_uri(remote);
    if (::geteuid() == 0 || ::access("/nix/var/nix/db", W_OK) == 0) return system_store();
    if (fs::lexists(kDaemonSocket)) return daemon_store();
    return private_store(home);
  }
  if (choice == "system") {
    if (::geteuid() != 0 && ::access("/nix/var/nix/db", W_OK) != 0) {
      if (fs::lexists(kDaemonSocket)) return daemon_store();
      throw Error(
          "--nix-store system: /nix/store is not writable for this user and no Nix daemon "
          "runs (" +
          std::string(kDaemonSocket) + "); use --nix-store private");
    }
    return system_store();
  }
  if (choice == "private") return private_store(home);
  if (choice.find_first_of(" \t\n") != std::string::npos)
    throw Error("--nix-store " + quote(choice) + ": a store URI has no spaces");
  return store_from_uri(choice);
}

std::vector<std::string> nix_store_options(const NixStore& store) {
  std::vector<std::string> options;
  if (!store.uri.empty()) options.insert(options.end(), {"--store", store.uri});
  if (store.no_build_users) options.insert(options.end(), {"--option", "build-users-group", ""});
  if (store.no_substitutes) options.insert(options.end(), {"--option", "substituters", ""});
  return options;
}

}  // namespace nixproc
