#pragma once
// What dpkg knows about installed packages: their versions and file lists.
#include <map>
#include <string>
#include <vector>

namespace nixproc::compat {

inline constexpr const char* kDpkgStatus = "/var/lib/dpkg/status";
inline constexpr const char* kDpkgInfoDir = "/var/lib/dpkg/info";

// Installed packages -> version, from `dpkg-query -W` ("install ok installed"
// only; removed packages that left config files are not installed).
std::map<std::string, std::string> installed_packages();

// Parses dpkg-query's `${Status}\t${Package}\t${Version}` lines.
std::map<std::string, std::string> parse_installed(const std::string& output);

// The files of an installed package, from <info-dir>/<pkg>.list or
// <pkg>:<arch>.list (multi-arch); empty when there is neither.
std::vector<std::string> package_files(const std::string& package,
                                       const std::string& info_dir = kDpkgInfoDir);

}  // namespace nixproc::compat
