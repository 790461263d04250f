#pragma once
// What dpkg knows about installed packages: their versions and file lists.
#include <map>
#include <string>
#include <vector>

namespace nixproc::compat {

inline constexpr const char* kDpkgStatus = "/var/lib/dpkg/status";
inline constexpr const char* kDpkgInfoDir = "/var/lib/dpkg/info";
inline constexpr const char* kDpkgDiversions = "/var/lib/dpkg/diversions";

// Installed packages -> version, from `dpkg-query -W` ("install ok installed"
// only; removed packages that left config files are not installed).
std::map<std::string, std::string> installed_packages();

// Parses dpkg-query's `${Status}\t${Package}\t${Version}` lines.
std::map<std::string, std::string> parse_installed(const std::string& output);

// The files of an installed package, from <info-dir>/<pkg>.list or
// <pkg>:<arch>.list (multi-arch); empty when there is neither.
std::vector<std::string> package_files(const std::string& package,
                                       const std::string& info_dir = kDpkgInfoDir);

// One installed package of dpkg's status database, with the fields an image's
// closure needs; relation fields are kept as written ("a (>= 1) | b:any, c").
struct PackageRecord {
  std::string name, architecture, version, multi_arch;
  std::string depends, pre_depends, provides;
};

// The installed packages (status "... installed", held ones too) of a status
// file's text, in file order.
std::vector<PackageRecord> parse_status(const std::string& text);
std::vector<PackageRecord> read_status(const std::string& status_file = kDpkgStatus);

// A relation field as its groups of alternatives, each a bare package name:
// version constraints, architecture qualifiers (":any", ":amd64") and
// restrictions ("[amd64]", "<!nocheck>") are dropped.
std::vector<std::vector<std::string>> parse_relation(const std::string& field);

// dpkg-divert's records: files of other packages named `from` are at `to`.
// `package` is the diverting package, ":" for a local diversion.
struct Diversion {
  std::string from, to, package;
};
std::vector<Diversion> parse_diversions(const std::string& text);
// Empty when the file is missing (no diversions).
std::vector<Diversion> read_diversions(const std::string& file = kDpkgDiversions);

// Every package's file lists in `info_dir`, by package name (a multi-arch
// package can have several: name:amd64.list, name:i386.list), from one
// directory listing.
std::map<std::string, std::vector<std::string>> package_list_files(
    const std::string& info_dir = kDpkgInfoDir);

}  // namespace nixproc::compat
