#include <algorithm>
#include <set>

#include "backends/common/process_fields.h"
#include "backends/systemd/info.h"
#include "backends/systemd/systemd.h"
#include "backends/systemd/unit_file.h"
#include "core/process_rules.h"
#include "model/fields.h"
#include "util/error.h"
#include "util/names.h"
#include "util/shell.h"

namespace nixproc::systemd {

namespace {

const char* const kUnitDir = "etc/systemd/system/";
// What systemd's own default PATH would give, kept after the process's `path`.
const char* const kSystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool is_key_start(char c) {
  return is_ascii_letter(c);
}
bool is_key_character(char c) {
  return is_ascii_letter(c) || is_ascii_digit(c) || c == '-' || c == '_';
}
bool is_valid_key(const std::string& key) {
  return !key.empty() && is_key_start(key.front()) && is_nonempty_run_of(key, is_key_character);
}

// The lines (values) one setting becomes. Exec* settings take a command as a
// list of words (or a list of such lists for several commands), or a string
// already in systemd's command syntax; others take scalars, or a list of
// them for a setting that repeats.
std::vector<std::string> setting_values(const std::string& key, const json& value,
                                        const std::string& what) {
  std::vector<std::string> values;
  if (value.is_null()) return values;
  bool exec = key.rfind("Exec", 0) == 0;
  auto words_of = [&](const json& list) {
    std::vector<std::string> words;
    for (const auto& word : list) {
      auto text = model::scalar_to_text(word);
      if (!text || word.is_boolean()) throw Error(what + ": expected a list of strings");
      words.push_back(*text);
    }
    return words;
  };
  auto scalar = [&](const json& item) {
    if (item.is_boolean()) return std::string(item.get<bool>() ? "true" : "false");
    auto text = model::scalar_to_text(item);
    if (!text)
      throw Error(what + ": expected a string, number or boolean, got " +
                  model::json_type_name(item));
    return literal_value(*text, what);
  };
  if (exec && value.is_string()) {
    std::string line = value.get<std::string>();
    if (line.find_first_of("\n\r") != std::string::npos)
      throw Error(what + ": a systemd setting cannot hold a line break");
    values.push_back(line);
  } else if (exec && value.is_array() && !value.empty() && value.front().is_array()) {
    for (const auto& command : value) {
      if (!command.is_array()) throw Error(what + ": expected a list of commands (word lists)");
      values.push_back(exec_command(words_of(command), what));
    }
  } else if (exec && value.is_array()) {
    values.push_back(exec_command(words_of(value), what));
  } else if (value.is_array()) {
    for (const auto& item : value) values.push_back(scalar(item));
  } else {
    values.push_back(scalar(value));
  }
  return values;
}

using Section = std::map<std::string, std::vector<std::string>>;

// [Unit], [Service], [Install] first, as people write them; others after.
std::vector<std::string> section_order(const std::map<std::string, Section>& sections) {
  std::vector<std::string> order;
  for (const char* first : {"Unit", "Service", "Install"})
    if (sections.count(first)) order.push_back(first);
  for (const auto& [name, settings] : sections)
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  return order;
}

}  // namespace

std::string unit_name(const std::string& process_name) {
  return "nix-process-" + process_name + ".service";
}

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (systemd)");
  reader.ignore({"type", "name", "instanceName", "dependencies", "credentials"});
  std::string name = input.instance.name;
  for (char c : name)
    if (c == '+' || c == '@')
      reader.fail(input.config.contains("name") ? "name" : "instanceName",
                  "systemd unit names cannot contain '" + std::string(1, c) +
                      "' ('@' marks template instances)");
  std::string initialize = reader.string_or("initialize", "");
  auto environment = read_environment(reader);
  std::vector<std::string> path = reader.string_list("path");
  if (!environment.count("PATH"))
    environment["PATH"] = (path.empty() ? "" : compose_path(path) + ":") + kSystemPath;

  std::map<std::string, Section> sections;
  for (const auto& [title, settings] : input.config.items()) {
    static const std::set<std::string> fields = {"type",         "name",        "instanceName",
                                                 "dependencies", "credentials", "initialize",
                                                 "environment",  "path"};
    if (fields.count(title)) continue;
    json object = reader.object(title);
    if (!is_valid_key(title))
      reader.fail(title, "not a unit section name (letters, digits and '-')");
    Section& section = sections[title];
    for (const auto& [key, value] : object.items()) {
      std::string field = title + "." + key;
      if (!is_valid_key(key)) reader.fail(field, "not a systemd setting name");
      if (title == "Service" && key == "Environment")
        reader.fail(field, "set variables through `environment`, which nixproc quotes");
      if (input.context.dirs.force_disable_user_change && title == "Service" &&
          (key == "User" || key == "Group"))
        continue;
      auto values = setting_values(key, value, reader.context() + ": " + field);
      if (!values.empty()) section[key] = values;
    }
  }
  reader.reject_unknown_fields();
  Section& service = sections["Service"];
  if (!service.count("ExecStart"))
    reader.fail("Service.ExecStart", "missing: the command the service runs");
  sections["Unit"];  // always there, for the dependencies

  RenderedInstance rendered;
  std::string unit = unit_name(name);
  if (!initialize.empty()) {
    RenderedFile prestart{"libexec/nixproc/" + name + "-prestart",
                          "#! /bin/sh -e\n" + initialize + "\n", true};
    // `+`: with a User=, initialize still runs with full privileges, as it
    // does under every other process manager.
    std::string prefix = service.count("User") ? "+" : "";
    auto& pre = service["ExecStartPre"];
    pre.insert(pre.begin(), prefix + exec_command({stored_path(input.store, prestart)},
                                                  reader.context() + ": initialize"));
    rendered.files.push_back(prestart);
  }

  std::vector<std::string> wants;
  for (const auto& [key, info] : input.dependency_info)
    wants.push_back(info_from_json<Info>(*info, instance_label(key)).unit.value_or(""));
  std::sort(wants.begin(), wants.end());

  std::string text;
  for (const auto& title : section_order(sections)) {
    if (!text.empty()) text += "\n";
    text += "[" + title + "]\n";
    for (const auto& [key, values] : sections[title])
      for (const auto& value : values) text += key + "=" + value + "\n";
    if (title == "Service")
      for (const auto& [variable, value] : environment)
        text += "Environment=" + environment_assignment(variable, value) + "\n";
    if (title == "Unit" && !wants.empty()) {
      std::string list;
      for (const auto& dependency : wants) list += (list.empty() ? "" : " ") + dependency;
      text += "Wants=" + list + "\nAfter=" + list + "\n";
    }
  }

  std::string unit_path = kUnitDir + unit;
  rendered.files.push_back({unit_path, text, false});
  for (const auto& dependency : wants)
    rendered.links.push_back({unit_path + ".wants/" + dependency, "../" + dependency});
  rendered.info = info_json(Info{.unit = unit, .unit_file = unit_path, .wants = wants});
  return rendered;
}

}  // namespace nixproc::systemd
