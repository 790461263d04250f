#pragma once
// `nixproc compat gen-pkgs`: writes the Nix file of the host's packages that
// the <nixpkgs> compatibility set reads through NIXPROC_HOST_PACKAGES.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compat/host_layout.h"
#include "compat/package_table.h"
#include "core/installation.h"

namespace nixproc::compat {

// The environment variable naming the generated file for nix/compat/nixpkgs.
inline constexpr const char* kHostPackagesVariable = "NIXPROC_HOST_PACKAGES";

// One attribute of the generated file.
struct HostPackage {
  std::string attr;
  std::string package;  // the Debian package that must be installed
  std::string version;  // its version; empty: not installed
  HostLayout layout;
};

// Where things are: the compatibility set (for -I nixpkgs=...), the shipped
// table, the user's, the generated file.
std::string nixpkgs_dir(const Installation& installation);
std::string shipped_table_path(const Installation& installation);
std::string user_table_path(const Home& home);
std::string host_packages_path(const Home& home);

// The shipped table, then the user's (when it exists), then `extra_table`.
PackageTable load_tables(const Installation& installation, const Home& home,
                         const std::optional<std::string>& extra_table);

// Looks each entry up in dpkg's database and file lists.
std::vector<HostPackage> resolve_host_packages(const PackageTable& table);

// The generated Nix file: a function of { linkFarm, missing } returning the
// attributes (see nix/compat/nixpkgs/host-packages.nix).
std::string render_host_packages(const std::vector<HostPackage>& packages);

// Resolves, renders and writes `output` atomically; returns the packages.
std::vector<HostPackage> generate_host_packages(const PackageTable& table,
                                                const std::string& output);

// For evaluating a model: the generated file's path, (re)generated first when
// it is missing or older than dpkg's status file or one of the tables; pass it
// to nix-instantiate as NIXPROC_HOST_PACKAGES. "" where there is no dpkg
// (pkgs.<attr> then says how to make the file). Throws on a bad table.
std::string ensure_host_packages(const Home& home, const Installation& installation);

// For an evaluation error of a model evaluated with the compatibility set:
// when Nix says an attribute or variable is missing, a hint that it may be a
// nixpkgs package the set lacks and how to add it; "" otherwise.
std::string missing_package_hint(const std::string& message, const Home& home);

}  // namespace nixproc::compat
