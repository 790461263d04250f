#pragma once
// The fields a manager's config shares with createManagedProcess
// (environment, umask, nice, user), read and checked the same way in every
// backend's render.
#include <map>
#include <optional>
#include <string>

#include "model/fields.h"

namespace nixproc {

// `environment`: variables whose names a shell accepts.
std::map<std::string, std::string> read_environment(model::FieldReader& reader);
// `umask`: an octal mode.
std::optional<std::string> read_umask(model::FieldReader& reader);
// `nice`: a niceness from -20 to 19.
std::optional<std::string> read_nice(model::FieldReader& reader);
// `user`; an empty one means none.
std::optional<std::string> read_user(model::FieldReader& reader);

}  // namespace nixproc
