#include "deploy/credentials.h"

#include <set>

#include <grp.h>
#include <pwd.h>

#include "backends/common/info.h"
#include "model/fields.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/subprocess.h"

namespace nixproc {

// The accounts of one kind ("groups" or "users"); empty when there are none.
static json accounts(const json& credentials, const char* kind) {
  auto it = credentials.find(kind);
  return it != credentials.end() && it->is_object() ? *it : json::object();
}

json effective_credentials(const json& credentials, const StateDirs& dirs) {
  if (!dirs.force_disable_user_change) return credentials;
  json result = json::object();
  json users_of_credentials = accounts(credentials, "users");
  for (const auto& [name, props] : users_of_credentials.items()) {
    if (props.value("createHomeDir", false) == true && props.contains("homeDir"))
      result["users"][name] = {
          {"homeDir", props["homeDir"]}, {"createHomeDir", true}, {"createHomeDirOnly", true}};
  }
  return result;
}

void check_accounts_agree(const Manifest& manifest) {
  std::map<std::string, std::pair<json, std::string>> seen;
  for (const auto& instance : manifest.instances) {
    for (const char* kind : {"groups", "users"}) {
      json declared = accounts(instance.credentials, kind);
      for (const auto& [name, props] : declared.items()) {
        std::string id = std::string(kind) + "/" + name;
        auto [it, inserted] = seen.emplace(id, std::pair{props, instance.key});
        if (!inserted && it->second.first != props)
          throw Error("instances " + it->second.second + " and " + instance.key + " declare " +
                      (std::string(kind) == "groups" ? "group " : "user ") + name +
                      " with different properties");
      }
    }
  }
}

bool needs_privileges(const Manifest& manifest, std::string& reason) {
  for (const auto& instance : manifest.instances) {
    if (auto user = info_from_json<CommonInfo>(instance.info, instance_label(instance.key)).user) {
      reason = instance_label(instance.key) + " runs as user " + *user;
      return true;
    }
    for (const char* kind : {"groups", "users"}) {
      json declared = accounts(instance.credentials, kind);
      for (const auto& [name, props] : declared.items())
        if (!props.value("createHomeDirOnly", false)) {
          reason = instance_label(instance.key) + " declares " +
                   (std::string(kind) == "groups" ? "group " : "user ") + name;
          return true;
        }
    }
  }
  return false;
}

std::string account_field(const json& props, const char* key) {
  auto it = props.find(key);
  if (it == props.end() || it->is_null()) return "";
  return model::scalar_to_text(*it).value_or("");
}

static void run_checked(const std::vector<std::string>& argv) {
  RunResult result = run(argv, capturing());
  if (!result.ok()) {
    std::string command;
    for (const auto& word : argv) command += (command.empty() ? "" : " ") + word;
    throw Error(command + " " + result.describe() + ": " + result.err);
  }
}

std::vector<std::string> create_accounts(const Manifest& next, json* created) {
  std::map<std::string, json> groups, users;
  for (const auto& instance : next.instances) {
    json declared_groups = accounts(instance.credentials, "groups");
    json declared_users = accounts(instance.credentials, "users");
    for (const auto& [name, props] : declared_groups.items()) groups[name] = props;
    for (const auto& [name, props] : declared_users.items()) users[name] = props;
  }
  std::vector<std::string> done;
  for (const auto& [name, props] : groups) {
    if (::getgrnam(name.c_str())) continue;
    std::vector<std::string> argv = {"groupadd"};
    if (auto gid = account_field(props, "gid"); !gid.empty()) argv.insert(argv.end(), {"-g", gid});
    argv.push_back(name);
    run_checked(argv);
    done.push_back("created group " + name);
    if (created) (*created)["groups"].push_back(name);
  }
  for (const auto& [name, props] : users) {
    std::string home = account_field(props, "homeDir");
    bool create_home = account_field(props, "createHomeDir") == "1";
    if (props.value("createHomeDirOnly", false)) {
      if (create_home && !home.empty() && !fs::is_directory(home)) {
        fs::make_directories(home);
        done.push_back("created home directory " + home);
      }
      continue;
    }
    if (::getpwnam(name.c_str())) continue;
    std::vector<std::string> argv = {"useradd"};
    for (const auto& [option, key] : {std::pair{"-u", "uid"},
                                      {"-p", "password"},
                                      {"-g", "group"},
                                      {"-c", "description"},
                                      {"-s", "shell"}})
      if (auto value = account_field(props, key); !value.empty())
        argv.insert(argv.end(), {option, value});
    argv.insert(argv.end(), {"-d", home.empty() ? "/dev/null" : home});
    argv.push_back(create_home ? "-m" : "-M");
    argv.push_back(name);
    run_checked(argv);
    done.push_back("created user " + name);
    if (created) (*created)["users"].push_back(name);
  }
  return done;
}

static std::set<std::string> declared_names(const Manifest& manifest, const char* kind) {
  std::set<std::string> names;
  for (const auto& instance : manifest.instances) {
    json declared = accounts(instance.credentials, kind);  // items() must not outlive it
    for (const auto& [name, props] : declared.items())
      if (!props.value("createHomeDirOnly", false)) names.insert(name);
  }
  return names;
}

std::vector<std::string> remove_unused_accounts(const Manifest& previous, const Manifest& next,
                                                const json& created) {
  std::vector<std::string> done;
  for (const char* kind : {"users", "groups"}) {
    std::set<std::string> keep = declared_names(next, kind);
    bool users = std::string(kind) == "users";
    std::set<std::string> ours;
    if (created.contains(kind) && created[kind].is_array())
      for (const auto& name : created[kind])
        if (name.is_string()) ours.insert(name.get<std::string>());
    for (const auto& name : declared_names(previous, kind)) {
      if (keep.count(name) || !ours.count(name)) continue;
      if (users ? !::getpwnam(name.c_str()) : !::getgrnam(name.c_str())) continue;
      RunResult result = run({users ? "userdel" : "groupdel", name}, capturing());
      if (result.ok())
        done.push_back(std::string("deleted ") + (users ? "user " : "group ") + name);
      else
        log::warning(std::string("could not delete ") + (users ? "user " : "group ") + name + ": " +
                     result.err);
    }
  }
  return done;
}

}  // namespace nixproc
