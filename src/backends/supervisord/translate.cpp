#include "backends/common/original_override.h"
#include "backends/common/supervised.h"
#include "backends/supervisord/supervisord.h"

namespace nixproc::supervisord {

// The createSupervisordProgram arguments: the shared run-script fields plus
// `program`, extra [program:x] keys (startsecs, stopsignal, ...) that
// overrides.supervisord.program can set.
json translate(const model::ManagedProcess& process, const Context& context) {
  json config = translate_supervised(process, context);
  config["program"] = json::object();
  return config;
}

// The original merged overrides.supervisord into createSupervisordProgram's
// arguments, where every other attribute is a [program:x] key: keys that are
// not nixproc fields go under `program` (startsecs = 5 -> program.startsecs).
json adapt_override(const json& override_value, const std::string&) {
  return nest_other_keys(override_value, kSupervisedFields, "program");
}

}  // namespace nixproc::supervisord
