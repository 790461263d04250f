#pragma once
// Helpers for the backends' adapt_override: rewriting an override written
// in the original framework's shape (its generator's arguments) into the
// backend's own config fields.
#include <initializer_list>
#include <string>
#include <utility>

#include "backends/backend.h"

namespace nixproc {

// The fields translate_supervised gives every supervising backend's config.
extern const std::initializer_list<const char*> kSupervisedFields;

// Renames keys (original -> nixproc); refuses an override that gives both.
json rename_keys(const json& override_value, const std::string& where,
                 std::initializer_list<std::pair<const char*, const char*>> renames);

// Moves every key that is not one of `fields` into the object `into`
// (merged with what the override already has there).
json nest_other_keys(const json& override_value, std::initializer_list<const char*> fields,
                     const char* into);

}  // namespace nixproc
