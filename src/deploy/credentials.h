#pragma once
// Users and groups the instances declare (credentials), created before any
// process starts when nixproc runs privileged and may change users
// (reference section 6). They are never removed automatically.
#include <nlohmann/json.hpp>

#include "core/state_dirs.h"
#include "deploy/manifest.h"

namespace nixproc {

// The part of `credentials` that applies: everything, or with
// forceDisableUserChange only the home directories users ask to create.
json effective_credentials(const json& credentials, const StateDirs& dirs);

// A field of an account's properties as text ("" when it is missing or null).
std::string account_field(const json& props, const char* key);

// Throws when two instances declare the same account with different properties.
void check_accounts_agree(const Manifest& manifest);

// Whether deploying `manifest` needs root: accounts to create or users to switch to.
bool needs_privileges(const Manifest& manifest, std::string& reason);

// Creates the groups, then the users, that `next` declares and the system
// lacks (and home directories asked for). Returns what it did, for the log,
// and appends the names it created to (*created)["groups"] / ["users"].
std::vector<std::string> create_accounts(const Manifest& next, json* created = nullptr);

// Deletes the users, then the groups, that `previous` declares and `next`
// does not, among those nixproc created (`created`, as create_accounts
// records them): an account that existed before is never deleted. Returns
// what it did and warns about what it could not delete.
std::vector<std::string> remove_unused_accounts(const Manifest& previous, const Manifest& next,
                                                const json& created);

}  // namespace nixproc
