#include "backends/common/process_fields.h"

#include "model/managed_process.h"
#include "util/shell.h"

namespace nixproc {

std::map<std::string, std::string> read_environment(model::FieldReader& reader) {
  auto environment = reader.string_map("environment");
  for (const auto& [variable, value] : environment)
    if (!is_shell_variable_name(variable))
      reader.fail("environment." + variable, "not a valid environment variable name");
  return environment;
}

std::optional<std::string> read_umask(model::FieldReader& reader) {
  auto umask = reader.optional_scalar_text("umask");
  if (umask) model::check_umask(*umask, reader.context());
  return umask;
}

std::optional<std::string> read_nice(model::FieldReader& reader) {
  auto nice = reader.optional_scalar_text("nice");
  if (nice) model::check_nice(*nice, reader.context());
  return nice;
}

std::optional<std::string> read_user(model::FieldReader& reader) {
  auto user = reader.optional_string("user");
  if (user && user->empty()) user.reset();
  return user;
}

}  // namespace nixproc
