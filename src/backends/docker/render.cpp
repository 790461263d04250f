#include <cstdio>

#include "backends/common/shell_script.h"
#include "backends/common/supervised.h"
#include "backends/docker/docker.h"
#include "backends/docker/info.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/names.h"
#include "util/shell.h"

namespace nixproc::docker {

namespace {

bool is_option_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_ascii_digit(c) || c == '-';
}

// `create` options as one token per line: "--name" (or "-n" for a one-letter
// name), then the value when there is one.
void add_parameter(std::vector<std::string>& tokens, model::FieldReader& reader,
                   const std::string& field, const std::string& name, const json* value) {
  if (!is_nonempty_run_of(name, is_option_character) || name[0] == '-')
    reader.fail(field,
                "\"" + name + "\" is not a docker create option name (letters, digits, '-')");
  tokens.push_back((name.size() == 1 ? "-" : "--") + name);
  if (!value || value->is_null()) return;
  auto text = model::scalar_to_text(*value);
  if (!text) reader.fail(field, "expected a string, number or boolean value");
  if (value->is_boolean()) text = value->get<bool>() ? "true" : "false";
  if (text->find('\n') != std::string::npos)
    reader.fail(field, "a value cannot contain a newline (the createparams file has one per line)");
  tokens.push_back(*text);
}

std::vector<std::string> user_parameters(const json& config, model::FieldReader& reader) {
  reader.ignore({"dockerCreateParameters"});
  std::vector<std::string> tokens;
  auto it = config.find("dockerCreateParameters");
  if (it == config.end() || it->is_null()) return tokens;
  const std::string field = "dockerCreateParameters";
  if (it->is_object()) {
    // name = true: a flag without a value; false: left out (null cannot
    // say either: it deletes the key when overrides are merged).
    for (const auto& [name, value] : it->items())
      if (!value.is_boolean())
        add_parameter(tokens, reader, field + "." + name, name, &value);
      else if (value.get<bool>())
        add_parameter(tokens, reader, field + "." + name, name, nullptr);
  } else if (it->is_array()) {
    for (size_t i = 0; i < it->size(); ++i) {
      const json& item = (*it)[i];
      std::string where = field + "[" + std::to_string(i) + "]";
      if (!item.is_object() || !item.contains("name") || !item["name"].is_string())
        reader.fail(where, "expected {name = \"...\"; value = ...;} (value optional)");
      for (const auto& [key, ignored] : item.items())
        if (key != "name" && key != "value") reader.fail(where + "." + key, "unknown field");
      auto value = item.find("value");
      add_parameter(tokens, reader, where, item["name"].get<std::string>(),
                    value == item.end() ? nullptr : &*value);
    }
  } else {
    reader.fail(field, "expected a list of {name, value} or an attribute set, got " +
                           model::json_type_name(*it));
  }
  return tokens;
}

// A path that can be written into a --volume option unambiguously.
void check_volume_path(model::FieldReader& reader, const std::string& field,
                       const std::string& path) {
  if (path.empty() || path[0] != '/')
    reader.fail(field, "\"" + path + "\" is not an absolute path");
  if (path.find_first_of(":,\n") != std::string::npos)
    reader.fail(field,
                "\"" + path + "\" contains ':', ',' or a newline, which --volume cannot take");
}

std::string text_of(const json& props, const char* key) {
  auto it = props.find(key);
  if (it == props.end() || it->is_null()) return "";
  return model::scalar_to_text(*it).value_or("");
}

// The original's `_initialize`, run in the container as its root before the
// process: nixproc init-state, then the accounts (unless
// forceDisableUserChange), with the host's groupadd and useradd.
std::string container_setup(const json& credentials, const StateDirs& dirs) {
  std::vector<std::string> mkdir = {"mkdir", "-p"};
  for (const auto* dir : {&dirs.state_dir, &dirs.runtime_dir, &dirs.log_dir, &dirs.cache_dir,
                          &dirs.spool_dir, &dirs.lock_dir, &dirs.lib_dir, &dirs.tmp_dir})
    if (!dir->empty()) mkdir.push_back(*dir);
  std::string setup = command_line(mkdir) + "\n";
  json groups = credentials.value("groups", json::object());
  json users = credentials.value("users", json::object());
  if (dirs.force_disable_user_change) {
    for (const auto& [name, props] : users.items())
      if (text_of(props, "createHomeDir") == "1" && !text_of(props, "homeDir").empty())
        setup += command_line({"mkdir", "-p", text_of(props, "homeDir")}) + "\n";
    return setup;
  }
  setup += command_line({"chmod", "1777", dirs.tmp_dir}) + "\n";
  for (const auto& [name, props] : groups.items()) {
    std::vector<std::string> add = {"groupadd"};
    if (auto gid = text_of(props, "gid"); !gid.empty()) add.insert(add.end(), {"-g", gid});
    add.push_back(name);
    setup += "getent group " + shell_quote(name) + " >/dev/null || " + command_line(add) + "\n";
  }
  for (const auto& [name, props] : users.items()) {
    std::vector<std::string> add = {"useradd"};
    for (const auto& [option, key] : {std::pair{"-u", "uid"},
                                      {"-p", "password"},
                                      {"-g", "group"},
                                      {"-c", "description"},
                                      {"-s", "shell"}})
      if (auto value = text_of(props, key); !value.empty()) add.insert(add.end(), {option, value});
    std::string home = text_of(props, "homeDir");
    add.insert(add.end(), {"-d", home.empty() ? "/dev/null" : home});
    add.push_back(text_of(props, "createHomeDir") == "1" ? "-m" : "-M");
    add.push_back(name);
    setup += "getent passwd " + shell_quote(name) + " >/dev/null || " + command_line(add) + "\n";
  }
  return setup;
}

std::string two_digits(int priority) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d", priority);
  return text;
}

}  // namespace

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (docker)");
  // Accounts belong in the containers; `credentials` would create them on the host.
  if (input.config.contains("credentials") && !input.config["credentials"].empty())
    reader.fail("credentials",
                "docker creates accounts in the container: use containerCredentials");
  std::vector<std::string> tokens = user_parameters(input.config, reader);
  std::vector<std::string> host_paths = reader.string_list("hostPaths");
  std::vector<std::string> state_volumes = reader.string_list("mapStateDirVolumes");
  json credentials = reader.object("containerCredentials");
  std::optional<int> stop_timeout;
  if (auto text = reader.optional_scalar_text("dockerStopTimeout")) {
    if (!is_nonempty_run_of(*text, is_ascii_digit) || text->size() > 5)
      reader.fail("dockerStopTimeout", "expected a number of seconds, got \"" + *text + "\"");
    stop_timeout = std::stoi(*text);
  }
  RunSpec spec = read_run_spec(reader, input);
  reader.reject_unknown_fields();

  // The umask applies to what the process creates, not to the state dirs
  // and accounts the setup makes first.
  std::string initialize = container_setup(credentials, input.context.dirs);
  if (spec.umask) initialize += "umask " + *spec.umask + "\n";
  spec.umask.reset();
  spec.initialize = initialize + spec.initialize;
  while (!spec.initialize.empty() && spec.initialize.back() == '\n') spec.initialize.pop_back();
  // No user switching means running as the container's root: the deploying
  // user (rootful: root; rootless podman maps its root to the caller).
  RunSpec run_spec = spec;
  if (input.context.dirs.force_disable_user_change) run_spec.effective_user.reset();

  const std::string& name = spec.name;
  RenderedFile run_script{"libexec/nixproc/" + name + "-docker-run",
                          render_run_script(run_spec, input.context), true};
  RenderedFile rootfs{"lib/nixproc/docker/" + name + "/nixproc-docker-rootfs.tar",
                      root_filesystem_tarball(), false};
  std::string cmd = json::array({stored_path(input.store, run_script)}).dump() + "\n";

  for (size_t i = 0; i < host_paths.size(); ++i)
    check_volume_path(reader, "hostPaths[" + std::to_string(i) + "]", host_paths[i]);
  for (size_t i = 0; i < state_volumes.size(); ++i)
    check_volume_path(reader, "mapStateDirVolumes[" + std::to_string(i) + "]", state_volumes[i]);
  check_volume_path(reader, "(nixproc's store)", input.store.dir());
  for (const auto& path : host_paths)
    tokens.insert(tokens.end(), {"--volume", path + ":" + path + ":ro"});
  const std::string& store = input.store.dir();
  tokens.insert(tokens.end(), {"--volume", store + ":" + store + ":ro", "--network", "host"});
  for (const auto& path : state_volumes)
    tokens.insert(tokens.end(), {"--volume", path + ":" + path + ":z"});
  std::string create_params;
  for (const auto& token : tokens) create_params += token + "\n";

  // Dependencies first: one more than the highest dependency.
  int priority = 1;
  for (const auto& [key, info] : input.dependency_info)
    priority = std::max(priority, info_from_json<Info>(*info, instance_label(key)).priority + 1);

  std::string image = name + ":latest";
  std::string settings =
      "dockerImage=" + stored_path(input.store, rootfs) + "\n" + "dockerImageTag=" + image + "\n";
  if (stop_timeout) settings += "dockerStopTimeout=" + std::to_string(*stop_timeout) + "\n";

  // What makes the image and the container what they are: a container made
  // by another generation is replaced, one of this generation is kept.
  std::string image_label = sha256_hex(settings + cmd + kImagePath).substr(0, 32);
  std::string container_label = sha256_hex(image_label + "\n" + create_params).substr(0, 32);

  RenderedInstance rendered;
  rendered.files = {run_script,
                    rootfs,
                    {name + "-docker-settings", settings, false},
                    {name + "-docker-createparams", create_params, false},
                    {two_digits(priority) + "-" + name + "-docker-priority", "", false},
                    {name + "-docker-cmd", cmd, false}};
  rendered.info = info_json(Info{.container = "nixproc-" + name,
                                 .image = image,
                                 .priority = priority,
                                 .settings = name + "-docker-settings",
                                 .create_params = name + "-docker-createparams",
                                 .cmd = name + "-docker-cmd",
                                 .image_label = image_label,
                                 .container_label = container_label});
  return rendered;
}

}  // namespace nixproc::docker
