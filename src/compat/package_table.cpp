#include "compat/package_table.h"

#include <regex>
#include <sstream>

#include "util/error.h"
#include "util/quote.h"

namespace nixproc::compat {

namespace {

// Attribute names the generated file can use bare (nixpkgs' own style), or
// paths of them (python3Packages.supervisor).
bool valid_attr(const std::string& name) {
  static const std::regex pattern("[A-Za-z_][A-Za-z0-9_'-]*(\\.[A-Za-z_][A-Za-z0-9_'-]*)*");
  return std::regex_match(name, pattern);
}

// Debian package names (policy 5.6.1), with an optional :arch.
bool valid_package(const std::string& name) {
  static const std::regex pattern("[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?");
  return std::regex_match(name, pattern);
}

void put(PackageTable& table, TableEntry entry) {
  for (auto& existing : table) {
    if (existing.attr == entry.attr) {
      existing = std::move(entry);
      return;
    }
  }
  table.push_back(std::move(entry));
}

}  // namespace

PackageTable parse_package_table(const std::string& text, const std::string& source) {
  PackageTable table;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::vector<std::string> fields;
    for (std::string word; words >> word;) fields.push_back(word);
    if (fields.empty()) continue;
    auto fail = [&](const std::string& why) {
      throw Error(source + ":" + std::to_string(number) + ": " + why);
    };
    if (!valid_attr(fields[0]))
      fail("invalid attribute name " + quote(fields[0]) +
           " (letters, digits, _ ' -, and dots between names)");
    TableEntry entry{fields[0], {}, {}};
    for (size_t i = 1; i < fields.size(); ++i) {
      const std::string& field = fields[i];
      if (field.rfind("link=", 0) == 0) {
        std::string value = field.substr(5);
        auto colon = value.find(':');
        static const std::regex relative("[A-Za-z0-9_+-][A-Za-z0-9._+/-]*");
        if (colon == std::string::npos || colon + 1 == value.size() ||
            !std::regex_match(value.substr(0, colon), relative) || value[colon + 1] != '/' ||
            value.find("..") != std::string::npos)
          fail("link must be link=PATH:/TARGET with a relative PATH, got " + quote(field));
        entry.links.push_back({value.substr(0, colon), value.substr(colon + 1)});
      } else if (valid_package(field)) {
        entry.packages.push_back(field);
      } else {
        fail("invalid Debian package name " + quote(field));
      }
    }
    if (entry.packages.empty())
      fail("attribute " + entry.attr + " names no Debian package (ATTRIBUTE PACKAGE...)");
    put(table, std::move(entry));
  }
  return table;
}

void merge_tables(PackageTable& base, const PackageTable& extra) {
  for (const auto& entry : extra) put(base, entry);
}

}  // namespace nixproc::compat
