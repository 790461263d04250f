#include "deploy/claims.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/state_dirs.h"
#include "deploy/claim_files.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/json_input.h"
#include "util/log.h"
#include "util/names.h"

namespace nixproc {

namespace {

constexpr int kClaimVersion = 1;

std::string claim_text(const ClaimOwner& owner) {
  json claim = {{"nixprocClaim", kClaimVersion},
                {"home", fs::dirname(owner.profiles_dir)},
                {"profiles", owner.profiles_dir},
                {"profile", owner.profile},
                {"uid", ::geteuid()}};
  return claim.dump() + "\n";
}

// The owner a claim file names; nullopt for anything nixproc did not write.
std::optional<ClaimOwner> parse_claim(const std::string& text) {
  json claim = json::parse(text, nullptr, false);
  if (!claim.is_object() || claim.value("nixprocClaim", 0) != kClaimVersion) return std::nullopt;
  auto profiles = claim.find("profiles"), profile = claim.find("profile");
  if (profiles == claim.end() || profile == claim.end() || !profiles->is_string() ||
      !profile->is_string() || !is_valid_name(profile->get<std::string>()) ||
      profiles->get<std::string>().rfind('/', 0) != 0)
    return std::nullopt;
  return ClaimOwner{*profiles, *profile};
}

bool same_directory(const std::string& a, const std::string& b) {
  struct stat first, second;
  return a == b || (::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0 &&
                    first.st_dev == second.st_dev && first.st_ino == second.st_ino);
}

// Whether `path` exists: false only when it (or a directory on the way) is
// missing; a path nixproc may not look at is an error, not an absence.
bool present(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) return true;
  if (errno == ENOENT || errno == ENOTDIR) return false;
  throw Error("cannot look at " + path + ": " + fs::errno_text());
}

// Whether the generation at `profile_path` deploys `name` into the state
// directories whose claims are in `dir`. Its files are another user's when
// another home owns the claim: read without blocking or following links.
bool deploys(const std::string& profile_path, const std::string& dir, const std::string& name) {
  std::string file = profile_path + "/" + kManifestFile;
  Manifest manifest = Manifest::from_json(parse_json_text(read_regular_file(file), file), file);
  return claimed_names(manifest).count(name) && same_directory(claims_dir(manifest.params), dir);
}

struct Holding {
  bool holds;
  std::string why;
};

// Whether `owner` still deploys `name` into `dir`: in its current
// generation, or in a switch of it that is running or was interrupted (its
// journal). When that cannot be told, it does.
Holding holding(const ClaimOwner& owner, const std::string& dir, const std::string& name) {
  try {
    Profile profile(owner.profiles_dir, owner.profile);
    bool has_link = present(profile.link()), has_journal = present(profile.journal_file());
    if (!has_link && !has_journal) return {false, "the profile no longer exists"};
    if (auto generation = profile.current(); generation && deploys(generation->target, dir, name))
      return {true, "its current generation has it"};
    if (has_journal) {
      std::string journal = profile.journal_file();
      std::string to = parse_json_text(read_regular_file(journal), journal).value("to", "");
      if (is_profile(to) && deploys(to, dir, name))
        return {true, "a switch of it to a generation with it is running or was interrupted"};
    }
    return {false, "its current generation has no instance " + name + " there"};
  } catch (const std::exception& error) {
    return {true, std::string("nixproc cannot tell whether it still has it: ") + error.what()};
  }
}

struct Inspection {
  std::vector<ForeignClaim> held, stale;
  std::vector<std::string> unclaimed;  // not `me`'s yet
};

Inspection inspect(const ClaimFiles& files, const std::set<std::string>& names,
                   const ClaimOwner& me) {
  Inspection found;
  for (const auto& name : names) {
    auto text = files.read(name);
    if (!text) {
      found.unclaimed.push_back(name);
      continue;
    }
    auto owner = parse_claim(*text);
    if (owner && *owner == me) continue;
    found.unclaimed.push_back(name);
    if (!owner) {
      found.stale.push_back({name, {}, "the claim file is not one nixproc wrote"});
      continue;
    }
    Holding state = holding(*owner, files.path(), name);
    (state.holds ? found.held : found.stale).push_back({name, *owner, state.why});
  }
  return found;
}

void refuse(const std::string& dir, const std::vector<ForeignClaim>& held) {
  if (held.empty()) return;
  std::string message;
  for (const auto& claim : held)
    message += instance_label(claim.name) + " is deployed into the same state directory by " +
               claim.owner.describe() + " (" + claim.why + ")\n";
  throw Error(message +
              "two profiles cannot deploy instances of the same name into one state "
              "directory; undeploy it there, rename the instance or use another state "
              "directory (the claims are in " +
              dir + ")");
}

}  // namespace

std::string ClaimOwner::describe() const {
  return "profile " + profile + " of nixproc home " + fs::dirname(profiles_dir);
}

ClaimOwner claim_owner(const Profile& profile) {
  return {fs::real_path(fs::dirname(profile.link())), profile.name()};
}

std::string claims_dir(const json& params) {
  // "nixproc-" keeps it apart from the instances' own directories in libDir.
  return StateDirs::from_params(params).lib_dir + "/nixproc-claims";
}

std::set<std::string> claimed_names(const Manifest& manifest) {
  std::set<std::string> names;
  for (const auto& instance : manifest.instances) names.insert(instance.name);
  return names;
}

std::vector<ForeignClaim> foreign_claims(const std::string& dir, const std::set<std::string>& names,
                                         const ClaimOwner& me) {
  ClaimFiles files(dir, false);
  return inspect(files, names, me).held;
}

void check_claims(const std::string& dir, const std::set<std::string>& names,
                  const ClaimOwner& me) {
  refuse(dir, foreign_claims(dir, names, me));
}

void take_claims(const std::string& dir, const std::set<std::string>& names, const ClaimOwner& me,
                 const std::function<void()>& before_writing) {
  if (names.empty()) {
    if (before_writing) before_writing();
    return;
  }
  ClaimFiles files(dir, true);
  files.lock();
  Inspection found = inspect(files, names, me);
  refuse(dir, found.held);
  if (before_writing) before_writing();
  for (const auto& claim : found.stale)
    log::info("taking over instance " + claim.name + " in " + dir + " from " +
              (claim.owner.profile.empty() ? "an unknown owner" : claim.owner.describe()) + ": " +
              claim.why);
  std::string text = claim_text(me);
  for (const auto& name : found.unclaimed) files.write(name, text);
}

std::set<std::string> foreign_names(const Manifest& manifest, const ClaimOwner& me) {
  std::set<std::string> names;
  try {
    for (const auto& claim :
         foreign_claims(claims_dir(manifest.params), claimed_names(manifest), me)) {
      log::warning("leaving instance " + claim.name + " alone: " + claim.owner.describe() +
                   " deploys it into the same state directory (" + claim.why + ")");
      names.insert(claim.name);
    }
  } catch (const Error& error) {
    log::warning(error.what());
  }
  return names;
}

std::set<std::string> reclaim(const Manifest& manifest, const ClaimOwner& me) {
  std::set<std::string> theirs = foreign_names(manifest, me), mine;
  for (const auto& name : claimed_names(manifest))
    if (!theirs.count(name)) mine.insert(name);
  try {
    take_claims(claims_dir(manifest.params), mine, me);
  } catch (const Error& error) {
    log::warning(error.what());
  }
  return theirs;
}

void release_claims(const Manifest& from, const Manifest* to, const ClaimOwner& me) {
  std::string dir = claims_dir(from.params);
  std::set<std::string> names = claimed_names(from);
  if (to && same_directory(claims_dir(to->params), dir))
    for (const auto& name : claimed_names(*to)) names.erase(name);
  if (names.empty()) return;
  try {
    ClaimFiles files(dir, false);
    files.lock();
    for (const auto& name : names) {
      auto text = files.read(name);
      if (!text) continue;
      if (auto owner = parse_claim(*text); owner && *owner == me) files.remove(name);
    }
  } catch (const Error& error) {
    log::warning(std::string("cannot release the claims in ") + dir + ": " + error.what());
  }
}

}  // namespace nixproc
