#include "image/accounts.h"

#include <map>
#include <optional>
#include <set>
#include <string>

#include "deploy/credentials.h"
#include "util/error.h"

namespace nixproc::image {

namespace {

struct Account {
  std::string name;
  unsigned id = 0;
};

json declared(const Manifest& manifest, const char* kind) {
  json all = json::object();
  for (const auto& instance : manifest.instances)
    if (auto it = instance.credentials.find(kind);
        it != instance.credentials.end() && it->is_object())
      for (const auto& [name, props] : it->items())
        if (!props.value("createHomeDirOnly", false)) all[name] = props;
  return all;
}

unsigned number(const std::string& id, const std::string& what) {
  try {
    size_t end = 0;
    unsigned long value = std::stoul(id, &end);
    if (end == id.size() && value < 4294967295UL) return static_cast<unsigned>(value);
  } catch (const std::exception&) {
  }
  throw Error(what + ": " + id + " is not a numeric ID");
}

// The first ID from 1000 that nothing has.
unsigned free_id(std::set<unsigned>& used) {
  unsigned id = 1000;
  while (used.count(id)) ++id;
  used.insert(id);
  return id;
}

}  // namespace

std::vector<ImageFile> account_files(const Manifest& manifest) {
  std::string passwd = "root:x:0:0:root:/root:/bin/bash\n";
  std::string shadow = "root:*:1::::::\n";
  std::string group = "root:x:0:\n";
  std::string gshadow = "root:*::\n";
  std::set<unsigned> uids = {0, 65534}, gids = {0, 65534};
  std::map<std::string, unsigned> gid_of = {{"root", 0}, {"nogroup", 65534}};
  std::vector<ImageFile> files;
  json groups = declared(manifest, "groups"), users = declared(manifest, "users");
  // Declared IDs first, so the free ones handed out never take them.
  for (const auto& [name, props] : groups.items())
    if (std::string id = account_field(props, "gid"); !id.empty())
      gids.insert(number(id, "group " + name));
  for (const auto& [name, props] : users.items())
    if (std::string id = account_field(props, "uid"); !id.empty())
      uids.insert(number(id, "user " + name));
  auto add_group = [&](const std::string& name, std::optional<unsigned> id) {
    gid_of[name] = id ? *id : free_id(gids);
    gids.insert(gid_of[name]);
    group += name + ":x:" + std::to_string(gid_of[name]) + ":\n";
    gshadow += name + ":!::\n";
  };
  for (const auto& [name, props] : groups.items()) {
    std::string id = account_field(props, "gid");
    add_group(name, id.empty() ? std::nullopt : std::optional(number(id, "group " + name)));
  }
  for (const auto& [name, props] : users.items()) {
    std::string uid_text = account_field(props, "uid");
    unsigned uid = uid_text.empty() ? free_id(uids) : number(uid_text, "user " + name);
    std::string group_name = account_field(props, "group");
    if (group_name.empty()) {
      group_name = name;
      if (!gid_of.count(name)) add_group(name, gids.count(uid) ? std::nullopt : std::optional(uid));
    }
    if (!gid_of.count(group_name))
      throw Error("user " + name + ": its group " + group_name + " is declared nowhere");
    std::string home = account_field(props, "homeDir");
    std::string shell = account_field(props, "shell");
    passwd += name + ":x:" + std::to_string(uid) + ":" + std::to_string(gid_of[group_name]) + ":" +
              account_field(props, "description") + ":" + (home.empty() ? "/dev/null" : home) +
              ":" + (shell.empty() ? "/bin/sh" : shell) + "\n";
    std::string password = account_field(props, "password");
    shadow += name + ":" + (password.empty() ? "!" : password) + ":1::::::\n";
    if (account_field(props, "createHomeDir") == "1" && !home.empty() && home[0] == '/')
      files.push_back(
          {home.substr(1), ImageFile::Directory, 0700, uid, gid_of[group_name], "", ""});
  }
  passwd += "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
  shadow += "nobody:*:1::::::\n";
  group += "nogroup:x:65534:\n";
  gshadow += "nogroup:*::\n";
  files.push_back({"etc/passwd", ImageFile::File, 0644, 0, 0, "", passwd});
  files.push_back({"etc/group", ImageFile::File, 0644, 0, 0, "", group});
  files.push_back({"etc/shadow", ImageFile::File, 0640, 0, 0, "", shadow});
  files.push_back({"etc/gshadow", ImageFile::File, 0640, 0, 0, "", gshadow});
  return files;
}

}  // namespace nixproc::image
