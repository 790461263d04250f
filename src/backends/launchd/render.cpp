#include "backends/common/supervised.h"
#include "backends/launchd/info.h"
#include "backends/launchd/launchd.h"
#include "backends/launchd/plist.h"
#include "util/error.h"
#include "util/log.h"

namespace nixproc::launchd {

namespace {

// Keys nixproc writes from the shared fields; `plist` may not set them.
const char* reserved_key(const std::string& key) {
  static const std::pair<const char*, const char*> reserved[] = {
      {"Program", "process"},
      {"ProgramArguments", "process and args"},
      {"EnvironmentVariables", "environment and path"},
      {"UserName", "user"},
      {"WorkingDirectory", "directory"},
      {"Umask", "umask"},
      {"Nice", "nice"}};
  for (const auto& [name, field] : reserved)
    if (key == name) return field;
  return nullptr;
}

}  // namespace

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (launchd)");
  json plist = reader.object("plist");
  reader.ignore({"instanceName"});  // the name, for configs written as launchd-daemon
  RunSpec spec = read_run_spec(reader, input);
  reader.reject_unknown_fields();
  for (const auto& [key, value] : plist.items())
    if (const char* field = reserved_key(key))
      reader.fail("plist." + key, std::string("nixproc sets it from `") + field + "`");
  if (plist.contains("Label")) {
    const json& label = plist["Label"];
    if (!label.is_string() || label.get<std::string>().empty() ||
        label.get<std::string>().find('/') != std::string::npos ||
        label.get<std::string>().front() == '.')
      reader.fail("plist.Label", "expected a non-empty string without '/' (it names the file)");
  } else {
    plist["Label"] = "org.nixos." + spec.name;
  }
  std::string label = plist["Label"];

  if (!input.dependency_info.empty()) {
    std::string names;
    for (const auto& [key, info] : input.dependency_info)
      names += (names.empty() ? "" : ", ") +
               info_from_json<Info>(*info, instance_label(key)).name.value_or(key);
    log::warning("launchd has no notion of process dependencies; " + spec.name +
                 " may start before " + names);
  }

  RenderedInstance rendered;
  // initialize runs as root before the user switch, so the user is switched
  // by the wrapper (chain-loading) instead of UserName (reference 3.5).
  std::optional<std::string> chain_load_user;
  if (!spec.initialize.empty()) chain_load_user = spec.effective_user;
  if (!spec.initialize.empty() || spec.is_daemon) {
    RunSpec wrapper;
    wrapper.name = spec.name;
    wrapper.process = spec.process;
    wrapper.args = spec.args;
    wrapper.is_daemon = spec.is_daemon;
    wrapper.pid_file = spec.pid_file;
    wrapper.initialize = spec.initialize;
    wrapper.effective_user = chain_load_user;
    RenderedFile script{"libexec/nixproc/" + spec.name + "-launchd",
                        render_run_script(wrapper, input.context), true};
    plist["Program"] = stored_path(input.store, script);
    rendered.files.push_back(script);
  } else {
    plist["Program"] = spec.process;
    if (!spec.args.empty()) {
      json arguments = json::array({spec.process});
      for (const auto& arg : spec.args) arguments.push_back(arg);
      plist["ProgramArguments"] = arguments;
    }
  }
  if (!spec.environment.empty()) plist["EnvironmentVariables"] = spec.environment;
  if (spec.directory) plist["WorkingDirectory"] = *spec.directory;
  if (spec.umask) plist["Umask"] = std::stoi(*spec.umask, nullptr, 8);  // checked octal
  if (spec.nice) plist["Nice"] = std::stoi(*spec.nice);
  if (spec.effective_user && !chain_load_user) plist["UserName"] = *spec.effective_user;

  std::string path = "Library/LaunchDaemons/" + label + ".plist";
  rendered.files.push_back({path, plist_document(plist, reader.context()), false});
  rendered.info = info_json(Info{.label = label, .plist = path, .name = spec.name});
  return rendered;
}

}  // namespace nixproc::launchd
