// Which Nix store a model's software is built in, and realising it: the
// arguments taken from Nix's string context, roots, and errors that name the
// instance whose derivation failed (with a real nix-store in a private store).
#include <gtest/gtest.h>

#include <cstdlib>

#include "nixstore/nix_store.h"
#include "nixstore/realise.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

Home home_in(const std::string& root) {
  Home home;
  home.root = root;
  return home;
}

// Sets an environment variable for one test and restores it after.
class ScopedVariable {
 public:
  ScopedVariable(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedVariable() {
    if (old_.empty())
      ::unsetenv(name_);
    else
      ::setenv(name_, old_.c_str(), 1);
  }

 private:
  const char* name_;
  std::string old_;
};

TEST(NixStore, ThePrivateStoreLivesInTheHomeAndAsksNoCache) {
  NixStore store = choose_nix_store("private", home_in("/h"));
  EXPECT_EQ(store.store_dir, "/h/nix/store");
  EXPECT_EQ(store.uri, "local?store=/h/nix/store&state=/h/nix/var&log=/h/nix/log");
  auto options = nix_store_options(store);
  ASSERT_GE(options.size(), 2u);
  EXPECT_EQ(options[0], "--store");
  EXPECT_EQ(options[1], store.uri);
  EXPECT_NE(std::find(options.begin(), options.end(), "substituters"), options.end());
}

TEST(NixStore, AUriNamesItsStoreDirectory) {
  EXPECT_EQ(choose_nix_store("local?store=/srv/n/store&state=/srv/n/var", home_in("/h")).store_dir,
            "/srv/n/store");
  EXPECT_EQ(choose_nix_store("daemon", home_in("/h")).store_dir, "/nix/store");
  EXPECT_THROW(choose_nix_store("local?store=/a b", home_in("/h")), Error);
}

TEST(NixStore, AutoTakesNixRemoteThenTheEnvironmentChoice) {
  ScopedVariable remote("NIX_REMOTE", "local?store=/r/store");
  ScopedVariable choice("NIXPROC_NIX_STORE", nullptr);
  EXPECT_EQ(choose_nix_store("", home_in("/h")).store_dir, "/r/store");
  ScopedVariable private_choice("NIXPROC_NIX_STORE", "private");
  EXPECT_EQ(choose_nix_store("", home_in("/h")).store_dir, "/h/nix/store");
}

TEST(Realise, ANixRootsFileGivesBackItsPaths) {
  RealisedSoftware software;
  software.roots = "0123abcd";
  software.paths = {"/nix/store/a-x", "/nix/store/b-y"};
  EXPECT_EQ(nix_roots_paths(nix_roots_file_text(software)), software.paths);
  EXPECT_EQ(nix_roots_paths("key-only"), std::vector<std::string>{});
}

TEST(Realise, ContextEntriesBecomeRealiseArguments) {
  using V = std::vector<std::string>;
  EXPECT_EQ(realise_arguments("/s/a.drv", false, false, {"out", "dev"}), V{"/s/a.drv!out,dev"});
  EXPECT_EQ(realise_arguments("/s/a.drv", false, true, {}), V{"/s/a.drv"});
  EXPECT_EQ(realise_arguments("/s/x-site", true, false, {}), V{"/s/x-site"});
}

TEST(Realise, OnlyPathsOfTheStoreGoToNixStore) {
  testing::TempDir dir;
  NixStore store = choose_nix_store("private", home_in(dir.path()));
  for (const char* hostile : {"--gc", "/nix/store/abc-x", "/etc/passwd"})
    EXPECT_THROW(realise_software(store, {{"web", {hostile}}}, dir / "roots", 0), Error) << hostile;
  EXPECT_FALSE(fs::exists(dir / "nix"));
}

TEST(Realise, NothingToBuildRunsNothing) {
  testing::TempDir dir;
  RealisedSoftware software =
      realise_software(choose_nix_store("private", home_in(dir.path())), {}, dir / "roots", 0);
  EXPECT_TRUE(software.roots.empty());
  EXPECT_FALSE(fs::exists(dir / "nix"));
}

// A derivation instantiated in `store`: its .drv path.
std::string instantiate(const NixStore& store, const std::string& name, const std::string& script) {
  std::vector<std::string> argv = {"nix-instantiate"};
  for (const auto& option : nix_store_options(store)) argv.push_back(option);
  argv.insert(argv.end(), {"-E", "derivation { name = \"" + name +
                                     "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; "
                                     "PATH = \"/usr/bin:/bin\"; args = [ \"-c\" \"" +
                                     script + "\" ]; }"});
  RunResult result = run(argv, capturing());
  EXPECT_TRUE(result.ok()) << result.err;
  std::string path = result.out;
  while (!path.empty() && path.back() == '\n') path.pop_back();
  return path;
}

TEST(Realise, BuildsRootsAndNamesTheInstanceWhoseBuildFailed) {
  if (find_executable("nix-store").empty()) GTEST_SKIP() << "nix-store is missing";
  testing::TempDir dir;
  NixStore store = choose_nix_store("private", home_in(dir.path()));
  std::string good = instantiate(store, "good", "echo fine > $out");
  std::string bad = instantiate(store, "bad", "echo broken on purpose >&2; exit 4");
  std::string roots = dir / "roots";
  fs::make_directories(roots);

  NixNeeds both = {{"web", {good + "!out"}}, {"worker", {bad + "!out"}}};
  try {
    realise_software(store, both, roots, 0);
    FAIL() << "a failing build must throw";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("the software of instance worker "), std::string::npos) << message;
    EXPECT_EQ(message.find("web"), std::string::npos) << message;
    EXPECT_NE(message.find("broken on purpose"), std::string::npos) << message;
  }
  for (const auto& name : fs::list_directory(roots))
    EXPECT_EQ(name[0], '.') << "a failed set leaves no roots: " << name;

  NixNeeds good_only = {{"web", {good + "!out"}}};
  RealisedSoftware built = realise_software(store, good_only, roots, 0);
  ASSERT_EQ(built.paths.size(), 1u);
  EXPECT_EQ(fs::read_file(built.paths[0]), "fine\n");
  EXPECT_EQ(built.paths[0].rfind(dir / "nix/store/", 0), 0u);
  // A second time it is only checked, with the same result.
  RealisedSoftware again = realise_software(store, good_only, roots, 0);
  EXPECT_EQ(again.roots, built.roots);
  EXPECT_EQ(again.paths, built.paths);
  // The profile's file names the set; releasing others keeps it.
  EXPECT_EQ(nix_roots_file_text(built), built.roots + "\n" + built.paths[0] + "\n");
  EXPECT_TRUE(release_nix_roots(roots, {built.roots}, false).empty());
  EXPECT_EQ(release_nix_roots(roots, {}, false).size(), 1u);
  EXPECT_FALSE(fs::exists(roots + "/" + built.roots));
}

}  // namespace
}  // namespace nixproc
