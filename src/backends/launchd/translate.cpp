#include "backends/common/original_override.h"
#include "backends/common/supervised.h"
#include "backends/launchd/launchd.h"
#include "util/error.h"

namespace nixproc::launchd {

// The shared fields of the supervising backends (foreground mode preferred,
// a daemon-only process behind the foreground proxy) plus `plist`: further
// property list keys (KeepAlive, RunAtLoad, Label, ...) that
// overrides.launchd.plist can set.
json translate(const model::ManagedProcess& process, const Context& context) {
  json config = translate_supervised(process, context);
  config["plist"] = json::object();
  return config;
}

// The original merged overrides.launchd into createLaunchdDaemon's
// arguments, plist keys at the top level: the keys nixproc has fields for
// become them, every other key goes under `plist` (KeepAlive -> plist.KeepAlive).
json adapt_override(const json& override_value, const std::string& where) {
  json result = rename_keys(override_value, where,
                            {{"Program", "process"},
                             {"EnvironmentVariables", "environment"},
                             {"WorkingDirectory", "directory"},
                             {"UserName", "user"},
                             {"Umask", "umask"},
                             {"Nice", "nice"}});
  if (!result.is_object()) return result;
  if (auto arguments = result.find("ProgramArguments"); arguments != result.end()) {
    if (!arguments->is_array() || arguments->empty() || !(*arguments)[0].is_string())
      throw Error(where + ".ProgramArguments: expected a list of words, the program first");
    json words = *arguments;
    result.erase("ProgramArguments");
    if (!result.contains("process")) result["process"] = words[0];
    result["args"] = json(words.begin() + 1, words.end());
  }
  return nest_other_keys(result, kSupervisedFields, "plist");
}

}  // namespace nixproc::launchd
