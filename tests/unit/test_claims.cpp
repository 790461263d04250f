#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deploy/claims.h"
#include "test_support.h"
#include "util/error.h"

namespace nixproc {
namespace {

using testing::TempDir;

// Two nixproc homes and a state directory, with generations made by hand.
struct ClaimsTest : ::testing::Test {
  TempDir root;
  std::string state = root / "var", claims = root / "var/lib/nixproc-claims";

  ClaimsTest() {
    fs::make_directories(root / "home-a/profiles");
    fs::make_directories(root / "home-b/profiles");
  }

  Profile profile(const std::string& home, const std::string& name) {
    return Profile(root / (home + "/profiles"), name);
  }

  // A generation (a profile directory with a manifest) deploying `names`.
  std::string generation(const std::vector<std::string>& names, const std::string& state_dir) {
    static int count = 0;
    std::string dir =
        root / ("generation-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
    fs::make_directories(dir);
    Manifest manifest;
    manifest.process_manager = "sysvinit";
    manifest.params = {{"stateDir", state_dir}};
    for (const auto& name : names) {
      ManifestInstance instance;
      instance.key = instance.name = name;
      manifest.instances.push_back(instance);
    }
    fs::write_file_atomic(dir + "/" + kManifestFile, manifest.to_text());
    return dir;
  }

  // Makes a generation deploying `names` the current one of `profile`.
  void deploy(Profile& profile, const std::vector<std::string>& names) {
    profile.set(generation(names, state));
  }

  // What the switch writes before its claims: its journal.
  void write_journal(const Profile& profile, const std::vector<std::string>& names) {
    json journal = {{"to", generation(names, state)}};
    fs::write_file_atomic(profile.journal_file(), journal.dump());
  }

  std::string owner_of(const std::string& name) {
    std::string file = claims + "/" + name;
    return fs::exists(file) ? json::parse(fs::read_file(file)).value("profile", "") : "";
  }
};

TEST_F(ClaimsTest, AnotherLiveProfileIsRefusedByNameAndNothingIsWritten) {
  Profile a = profile("home-a", "first"), b = profile("home-b", "second");
  deploy(a, {"x", "y"});
  take_claims(claims, {"x", "y"}, claim_owner(a));
  bool called = false;
  try {
    take_claims(claims, {"x", "z"}, claim_owner(b), [&] { called = true; });
    FAIL() << "the claim on x was not refused";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("instance x"), std::string::npos) << message;
    EXPECT_NE(message.find("profile first of nixproc home " + root / "home-a"), std::string::npos)
        << message;
    EXPECT_EQ(message.find("instance z"), std::string::npos) << message;
  }
  EXPECT_FALSE(called);
  EXPECT_EQ(owner_of("x"), "first");
  EXPECT_EQ(owner_of("z"), "");
  EXPECT_THROW(check_claims(claims, {"y"}, claim_owner(b)), Error);
  EXPECT_NO_THROW(check_claims(claims, {"z"}, claim_owner(b)));
}

TEST_F(ClaimsTest, OneHomesTwoProfilesAreTwoOwners) {
  Profile a = profile("home-a", "first"), b = profile("home-a", "second");
  deploy(a, {"x"});
  take_claims(claims, {"x"}, claim_owner(a));
  EXPECT_THROW(take_claims(claims, {"x"}, claim_owner(b)), Error);
  EXPECT_NO_THROW(take_claims(claims, {"x"}, claim_owner(a)));  // its own claim
}

TEST_F(ClaimsTest, AClaimOfAProfileThatIsGoneIsTakenOver) {
  Profile a = profile("home-a", "first"), b = profile("home-b", "second");
  deploy(a, {"x"});
  take_claims(claims, {"x"}, claim_owner(a));
  a.delete_all();
  EXPECT_NO_THROW(take_claims(claims, {"x"}, claim_owner(b)));
  EXPECT_EQ(owner_of("x"), "second");
}

TEST_F(ClaimsTest, AClaimOfAHomeThatIsGoneIsTakenOver) {
  Profile a = profile("home-a", "first"), b = profile("home-b", "second");
  deploy(a, {"x"});
  take_claims(claims, {"x"}, claim_owner(a));
  fs::remove_tree(root / "home-a");
  EXPECT_NO_THROW(take_claims(claims, {"x"}, claim_owner(b)));
  EXPECT_EQ(owner_of("x"), "second");
}

TEST_F(ClaimsTest, AClaimTheOwnersCurrentGenerationNoLongerHasIsTakenOver) {
  Profile a = profile("home-a", "first"), b = profile("home-b", "second");
  deploy(a, {"x", "y"});
  take_claims(claims, {"x", "y"}, claim_owner(a));
  deploy(a, {"y"});
  EXPECT_NO_THROW(take_claims(claims, {"x"}, claim_owner(b)));
  EXPECT_EQ(owner_of("x"), "second");
  EXPECT_EQ(owner_of("y"), "first");
}

TEST_F(ClaimsTest, AnOwnerNowDeployingIntoAnotherStateDirectoryLetsGo) {
  Profile a = profile("home-a", "first"), b = profile("home-b", "second");
  deploy(a, {"x"});
  take_claims(claims, {"x"}, claim_owner(a));
  a.set(generation({"x"}, root / "elsewhere"));
  EXPECT_NO_THROW(take_claims(claims, {"x"}, claim_owner(b)));
}

TEST_F(ClaimsTest, ASwitchInProgressHoldsTheNamesItIsDeploying) {
  Profile a = profile("home-a", "first"), b = profile("home-b", "second");
  take_claims(claims, {"x"}, claim_owner(a), [&] { write_journal(a, {"x"}); });
  EXPECT_THROW(take_claims(claims, {"x"}, claim_owner(b)), Error);
  ::unlink(a.journal_file().c_str());  // it was undone
  EXPECT_NO_THROW(take_claims(claims, {"x"}, claim_owner(b)));
}

TEST_F(ClaimsTest, ReleaseRemovesOnlyTheOwnersClaimsOfNamesItDropped) {
  Profile a = profile("home-a", "first"), b = profile("home-b", "second");
  deploy(a, {"x", "y"});
  deploy(b, {"z"});
  take_claims(claims, {"x", "y"}, claim_owner(a));
  take_claims(claims, {"z"}, claim_owner(b));
  Manifest before = read_manifest(generation({"x", "y", "z"}, state));
  Manifest after = read_manifest(generation({"y"}, state));
  release_claims(before, &after, claim_owner(a));
  EXPECT_EQ(owner_of("x"), "");
  EXPECT_EQ(owner_of("y"), "first");
  EXPECT_EQ(owner_of("z"), "second");
  release_claims(before, nullptr, claim_owner(a));  // undeployed
  EXPECT_EQ(owner_of("y"), "");
  EXPECT_EQ(owner_of("z"), "second");
}

TEST_F(ClaimsTest, PlantedFilesAreNeitherFollowedNorTrusted) {
  Profile b = profile("home-b", "second");
  fs::make_directories(claims);
  std::string secret = root / "secret";
  fs::write_file_atomic(secret, "do not touch\n");
  ASSERT_EQ(::symlink(secret.c_str(), (claims + "/x").c_str()), 0);
  ASSERT_EQ(::mkfifo((claims + "/y").c_str(), 0644), 0);
  fs::write_file_atomic(claims + "/z", "garbage");
  EXPECT_NO_THROW(take_claims(claims, {"x", "y", "z"}, claim_owner(b)));
  EXPECT_EQ(fs::read_file(secret), "do not touch\n");
  EXPECT_EQ(owner_of("x"), "second");
  EXPECT_EQ(owner_of("y"), "second");
  EXPECT_EQ(owner_of("z"), "second");
}

TEST_F(ClaimsTest, AClaimsDirectoryThatIsASymlinkIsRefused) {
  Profile b = profile("home-b", "second");
  fs::make_directories(root / "elsewhere");
  fs::make_directories(state + "/lib");
  ASSERT_EQ(::symlink((root / "elsewhere").c_str(), claims.c_str()), 0);
  EXPECT_THROW(take_claims(claims, {"x"}, claim_owner(b)), Error);
  EXPECT_TRUE(fs::list_directory(root / "elsewhere").empty());
}

TEST_F(ClaimsTest, TheClaimsDirectoryOnlyItsOwnerCanWrite) {
  Profile b = profile("home-b", "second");
  mode_t before = ::umask(0);
  take_claims(claims, {"x"}, claim_owner(b));
  ::umask(before);
  struct stat st;
  ASSERT_EQ(::stat(claims.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);
}

// Two switches that claim the same name at the same time: one wins, the
// other is refused, however their steps interleave.
TEST_F(ClaimsTest, OfTwoConcurrentClaimsExactlyOneWins) {
  for (int round = 0; round < 40; ++round) {
    std::string name = "x" + std::to_string(round);
    int gate[2];
    ASSERT_EQ(::pipe(gate), 0);
    pid_t children[2];
    for (int i = 0; i < 2; ++i) {
      children[i] = ::fork();
      ASSERT_GE(children[i], 0);
      if (children[i] == 0) {
        ::close(gate[1]);
        char byte;
        while (::read(gate[0], &byte, 1) < 0) {
        }
        Profile mine = profile(i == 0 ? "home-a" : "home-b", "p" + std::to_string(round));
        try {
          take_claims(claims, {name}, claim_owner(mine), [&] { write_journal(mine, {name}); });
          ::_exit(0);
        } catch (const Error&) {
          ::_exit(1);
        }
      }
    }
    ::close(gate[0]);
    ::close(gate[1]);  // both start now
    int winners = 0;
    for (pid_t child : children) {
      int status = 0;
      ASSERT_EQ(::waitpid(child, &status, 0), child);
      ASSERT_TRUE(WIFEXITED(status));
      winners += WEXITSTATUS(status) == 0;
    }
    EXPECT_EQ(winners, 1) << "round " << round;
  }
}

}  // namespace
}  // namespace nixproc
