#include <algorithm>

#include "backends/common/supervised.h"
#include "backends/cygrunsrv/cygrunsrv.h"
#include "backends/cygrunsrv/info.h"
#include "backends/cygrunsrv/params.h"
#include "util/error.h"
#include "util/log.h"
#include "util/names.h"

namespace nixproc::cygrunsrv {

namespace {

// cygrunsrv accepts at most this many --dep options.
constexpr size_t kMaxDependencies = 16;

// An argument that reaches the process unchanged through --args, whose string
// Cygwin splits and globs by its own rules: anything else goes through the
// run script, which passes arguments exactly.
bool is_plain_argument(const std::string& argument) {
  if (argument.empty()) return false;
  for (char c : argument)
    if (!is_ascii_letter(c) && !is_ascii_digit(c) &&
        std::string_view("_./:=+,-").find(c) == std::string_view::npos)
      return false;
  return true;
}

bool has_value(const json& value) {
  return !value.is_null() &&
         !((value.is_object() || value.is_array() || value.is_string()) && value.empty());
}

}  // namespace

RenderedInstance render(const RenderInput& input) {
  model::FieldReader reader(input.config, instance_label(input.instance.key) + " (cygrunsrv)");
  const std::string& where = reader.context();
  // Windows services run as the account cygrunsrv installs them for; nixproc
  // neither switches users here nor creates them (reference section 3.6).
  // With user changes disabled nothing is lost, so there is nothing to say.
  if (!input.context.dirs.force_disable_user_change) {
    if (has_value(input.config.value("user", json())))
      log::warning(where +
                   ": user is not supported by cygrunsrv; the service runs as "
                   "cygrunsrv's default account");
    const json credentials = input.config.value("credentials", json::object());
    if (credentials.is_object() && (has_value(credentials.value("users", json())) ||
                                    has_value(credentials.value("groups", json()))))
      log::warning(where +
                   ": credentials are not supported by cygrunsrv; no users or groups "
                   "are created");
  }
  std::string display_name = reader.string_or("displayName", service_name(input.instance.name));
  // createCygrunsrvParams' `type`; pkg.type already names the config type.
  std::string type = reader.string_or("serviceType", "auto");
  if (type != "auto" && type != "manual")
    reader.fail("serviceType", "expected \"auto\" or \"manual\", got \"" + type + "\"");
  auto std_in = reader.optional_string("stdin");
  auto std_out = reader.optional_string("stdout");
  auto std_err = reader.optional_string("stderr");
  std::string terminate_signal = reader.string_or("terminateSignal", "TERM");
  if (!is_nonempty_run_of(terminate_signal,
                          [](char c) { return (c >= 'A' && c <= 'Z') || is_ascii_digit(c); }))
    reader.fail("terminateSignal",
                "expected a signal name such as \"TERM\", got \"" + terminate_signal + "\"");
  bool terminate_on_shutdown = reader.boolean_or("terminateOnShutdown", false);
  RunSpec spec = read_run_spec(reader, input);
  reader.reject_unknown_fields();
  spec.effective_user.reset();
  if (input.instance.dependencies.size() > kMaxDependencies)
    reader.fail("dependencies", std::to_string(input.instance.dependencies.size()) +
                                    " dependencies, but cygrunsrv accepts at most " +
                                    std::to_string(kMaxDependencies));

  RenderedInstance rendered;
  std::vector<Token> tokens;
  auto option = [&](const std::string& name, const std::string& value) {
    tokens.push_back({name, false});
    tokens.push_back({value, true});
  };
  bool direct = !spec.is_daemon && spec.initialize.empty() && !spec.directory && !spec.umask &&
                !spec.nice && std::all_of(spec.args.begin(), spec.args.end(), is_plain_argument);
  if (direct) {
    option("--path", spec.process);
  } else {
    // The run script does what cygrunsrv cannot: initialize, directory,
    // umask, nice, exact arguments and the foreground proxy for a daemon.
    RunSpec script = spec;
    script.environment.clear();  // cygrunsrv sets it (--env)
    RenderedFile run_script{"libexec/nixproc/" + spec.name + "-run",
                            render_run_script(script, input.context), true};
    option("--path", stored_path(input.store, run_script));
    rendered.files.push_back(run_script);
  }
  option("--disp", display_name);
  if (type != "auto") option("--type", type);
  if (direct && !spec.args.empty()) {
    std::string args;
    for (const auto& argument : spec.args) args += (args.empty() ? "" : " ") + argument;
    option("--args", args);
  }
  for (const auto& [variable, value] : spec.environment) option("--env", variable + "=" + value);
  if (std_in) option("--stdin", *std_in);
  if (std_out) option("--stdout", *std_out);
  if (std_err) option("--stderr", *std_err);
  if (terminate_signal != "TERM") option("--termsig", terminate_signal);
  if (terminate_on_shutdown) tokens.push_back({"--shutdown", false});
  for (const auto& key : input.instance.dependencies)
    option("--dep",
           service_name(
               info_from_json<Info>(*input.dependency_info.at(key), instance_label(key)).name));

  std::string file = service_name(spec.name) + "-cygrunsrvparams";
  rendered.files.push_back({file, params_text(tokens), false});
  rendered.info =
      info_json(Info{.name = spec.name, .service = service_name(spec.name), .params = file});
  return rendered;
}

}  // namespace nixproc::cygrunsrv
