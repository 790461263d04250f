#include "compat/dpkg.h"

#include <sstream>
#include <string_view>

#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc::compat {

std::map<std::string, std::string> parse_installed(const std::string& output) {
  std::map<std::string, std::string> installed;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    auto first = line.find('\t');
    auto second = first == std::string::npos ? first : line.find('\t', first + 1);
    if (second == std::string::npos) continue;
    if (line.substr(0, first) != "install ok installed") continue;
    std::string package = line.substr(first + 1, second - first - 1);
    if (auto colon = package.find(':'); colon != std::string::npos) package.erase(colon);
    installed[package] = line.substr(second + 1);
  }
  return installed;
}

std::map<std::string, std::string> installed_packages() {
  if (find_executable("dpkg-query").empty())
    throw Error(
        "dpkg-query is missing: `nixproc compat gen-pkgs` reads the package lists of dpkg "
        "(Debian and its derivatives)");
  RunResult result =
      run({"dpkg-query", "-W", "-f", "${Status}\\t${Package}\\t${Version}\\n"}, capturing());
  if (!result.ok()) throw Error("dpkg-query -W " + result.describe() + ": " + result.err);
  return parse_installed(result.out);
}

namespace {

std::string_view trim(std::string_view text) {
  size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t");
  return text.substr(start, end - start + 1);
}

// The field of a status stanza that a "Name: value" line sets, or nullptr.
std::string* record_field(PackageRecord& record, std::string& status, std::string_view name) {
  if (name == "Package") return &record.name;
  if (name == "Status") return &status;
  if (name == "Architecture") return &record.architecture;
  if (name == "Version") return &record.version;
  if (name == "Multi-Arch") return &record.multi_arch;
  if (name == "Depends") return &record.depends;
  if (name == "Pre-Depends") return &record.pre_depends;
  if (name == "Provides") return &record.provides;
  return nullptr;
}

// "want flag state": installed when the state is; "hold ok installed" is.
bool is_installed(std::string_view status) {
  auto last = status.rfind(' ');
  return last != std::string_view::npos && status.substr(last + 1) == "installed";
}

// Bare package name of one alternative: "libc6:any (>= 2.36) [amd64]" -> "libc6".
std::string relation_name(std::string_view alternative) {
  alternative = trim(alternative);
  size_t end = alternative.find_first_of(" \t(:[<");
  return std::string(alternative.substr(0, end));
}

}  // namespace

std::vector<PackageRecord> parse_status(const std::string& text) {
  std::vector<PackageRecord> installed;
  PackageRecord record;
  std::string status;
  std::string* field = nullptr;
  auto finish = [&] {
    if (!record.name.empty() && is_installed(status)) installed.push_back(std::move(record));
    record = PackageRecord{};
    status.clear();
    field = nullptr;
  };
  std::string_view rest(text);
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (trim(line).empty()) {
      finish();
    } else if (line[0] == ' ' || line[0] == '\t') {
      if (field) *field += " " + std::string(trim(line));  // continuation line
    } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
      field = record_field(record, status, line.substr(0, colon));
      if (field) *field = std::string(trim(line.substr(colon + 1)));
    }
  }
  finish();
  return installed;
}

std::vector<PackageRecord> read_status(const std::string& status_file) {
  return parse_status(fs::read_file(status_file));
}

std::vector<std::vector<std::string>> parse_relation(const std::string& field) {
  std::vector<std::vector<std::string>> groups;
  std::istringstream clauses(field);
  for (std::string clause; std::getline(clauses, clause, ',');) {
    std::vector<std::string> alternatives;
    std::istringstream parts(clause);
    for (std::string part; std::getline(parts, part, '|');)
      if (std::string name = relation_name(part); !name.empty()) alternatives.push_back(name);
    if (!alternatives.empty()) groups.push_back(std::move(alternatives));
  }
  return groups;
}

std::vector<Diversion> parse_diversions(const std::string& text) {
  std::vector<Diversion> diversions;
  std::istringstream lines(text);
  Diversion diversion;
  while (std::getline(lines, diversion.from) && std::getline(lines, diversion.to) &&
         std::getline(lines, diversion.package))
    diversions.push_back(diversion);
  return diversions;
}

std::vector<Diversion> read_diversions(const std::string& file) {
  if (!fs::exists(file)) return {};
  return parse_diversions(fs::read_file(file));
}

std::map<std::string, std::vector<std::string>> package_list_files(const std::string& info_dir) {
  std::map<std::string, std::vector<std::string>> lists;
  for (const auto& name : fs::list_directory(info_dir)) {
    if (name.size() <= 5 || name.compare(name.size() - 5, 5, ".list") != 0) continue;
    std::string package = name.substr(0, name.size() - 5);
    if (auto colon = package.find(':'); colon != std::string::npos) package.erase(colon);
    lists[package].push_back(info_dir + "/" + name);
  }
  return lists;
}

std::vector<std::string> package_files(const std::string& package, const std::string& info_dir) {
  std::string list = info_dir + "/" + package + ".list";
  if (!fs::exists(list)) {
    list.clear();
    std::string prefix = package + ":";
    for (const auto& name : fs::list_directory(info_dir)) {
      if (name.rfind(prefix, 0) == 0 && name.size() > 5 &&
          name.compare(name.size() - 5, 5, ".list") == 0) {
        list = info_dir + "/" + name;
        break;
      }
    }
    if (list.empty()) return {};
  }
  std::vector<std::string> files;
  std::istringstream lines(fs::read_file(list));
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) files.push_back(line);
  return files;
}

}  // namespace nixproc::compat
