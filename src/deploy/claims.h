#pragma once
// Claims: which profile deploys an instance name into a state directory.
// Two profiles (of one nixproc home or of two) deploying instances of the
// same name into one state directory would restart and stop each other's
// processes. So a switch claims every instance name of its new generation
// before it touches anything, one file per name in
// <libDir>/nixproc-claims/ (persistent, as the profiles are), and is refused
// while another profile that still deploys the name holds it. A claim whose
// owner is gone, or no longer has the name in that state directory (neither
// in its current generation nor in a switch in progress), is taken over.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "deploy/manifest.h"
#include "store/profile.h"

namespace nixproc {

// Who claims: a profile of a nixproc home.
struct ClaimOwner {
  std::string profiles_dir;  // the home's profiles directory, resolved
  std::string profile;
  bool operator==(const ClaimOwner&) const = default;
  // "profile P of nixproc home H"
  std::string describe() const;
};

ClaimOwner claim_owner(const Profile& profile);

// Where the claims for the state directories of `params` are kept.
std::string claims_dir(const json& params);

// The instance names a generation claims.
std::set<std::string> claimed_names(const Manifest& manifest);

// A claim another profile holds, and why it still counts.
struct ForeignClaim {
  std::string name;
  ClaimOwner owner;
  std::string why;
};

// The claims on `names` in `dir` that a profile other than `me` holds and
// still deploys. Reads only.
std::vector<ForeignClaim> foreign_claims(const std::string& dir, const std::set<std::string>& names,
                                         const ClaimOwner& me);

// Throws nixproc::Error naming each other profile that holds one of `names`
// in `dir`. Reads only.
void check_claims(const std::string& dir, const std::set<std::string>& names, const ClaimOwner& me);

// Claims `names` in `dir` for `me`, with the directory locked: refuses as
// check_claims does (writing nothing), else calls `before_writing` (the
// switch writes its journal then, so no one sees a claim of `me` that its
// profile does not explain yet) and writes the claims, saying which stale
// ones it takes over.
void take_claims(const std::string& dir, const std::set<std::string>& names, const ClaimOwner& me,
                 const std::function<void()>& before_writing = {});

// For the repair of an interrupted switch, which must leave another
// profile's instances alone: the names of `manifest` another profile holds,
// each with a warning. foreign_names only reads; reclaim also claims the
// other names for `me` (warning when it cannot).
std::set<std::string> foreign_names(const Manifest& manifest, const ClaimOwner& me);
std::set<std::string> reclaim(const Manifest& manifest, const ClaimOwner& me);

// Gives up `me`'s claims on the names of `from` that `to` (null: nothing)
// does not claim in the same directory. Best effort: failures are warnings.
void release_claims(const Manifest& from, const Manifest* to, const ClaimOwner& me);

}  // namespace nixproc
