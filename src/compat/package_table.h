#pragma once
// The table of nixpkgs attributes and the Debian packages that provide them
// (nix/compat/package-table and the user's own), as plain data.
#include <string>
#include <utility>
#include <vector>

namespace nixproc::compat {

// $out/<path> -> <target> in a link farm (link=PATH:TARGET in the table).
struct Link {
  std::string path;
  std::string target;
  bool operator==(const Link&) const = default;
};

struct TableEntry {
  std::string attr;                   // an attribute path: nginx, python3Packages.supervisor
  std::vector<std::string> packages;  // the first must be installed
  std::vector<Link> links;
  bool operator==(const TableEntry&) const = default;
};

using PackageTable = std::vector<TableEntry>;  // in file order, one entry per attr

// Parses a table; `source` names it in errors ("FILE:LINE: ..."). A later line
// for the same attribute replaces the earlier one.
PackageTable parse_package_table(const std::string& text, const std::string& source);

// `extra`'s entries replace `base`'s for the same attribute; new ones follow.
void merge_tables(PackageTable& base, const PackageTable& extra);

}  // namespace nixproc::compat
