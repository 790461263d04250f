#include <sys/stat.h>

#include <algorithm>

#include "store/gc.h"
#include "store/profile.h"
#include "store/store.h"
#include "test_support.h"
#include "util/error.h"

namespace nixproc {
namespace {

using testing::TempDir;

TEST(Store, FilePathMatchesTheDocumentedFormula) {
  Store store("/s");
  // printf 'nixproc-file:-:a.conf\nhello\n' | sha256sum | cut -c1-32
  EXPECT_EQ(store.file_path("a.conf", "hello\n", false),
            "/s/295cecb8682e7624ff7747abe09b5c9a-a.conf");
  EXPECT_EQ(store.file_path("run.sh", "#!/bin/sh\n", true),
            "/s/c851a45d3af4a94ffa6b5a491eb7ba85-run.sh");
}

// A store built elsewhere than it will live (an image's): the same paths as
// a store at `dir`, the files under `root`.
TEST(Store, ARootedStoreWritesUnderItsRootAndNamesPathsUnderItsDir) {
  TempDir dir;
  fs::make_directories(dir.path() + "/var/lib/nixproc/store");
  Store rooted("/var/lib/nixproc/store", dir.path());
  Store plain("/var/lib/nixproc/store");
  std::string file = rooted.add_file("a.conf", "hello\n", false);
  EXPECT_EQ(file, plain.file_path("a.conf", "hello\n", false));
  EXPECT_EQ(fs::read_file(dir.path() + file), "hello\n");
  std::string tree =
      rooted.add_tree("t", {{"x/y", TreeEntry::File, "z"}, {"l", TreeEntry::Symlink, file}});
  EXPECT_EQ(tree.rfind("/var/lib/nixproc/store/", 0), 0u);
  EXPECT_EQ(fs::read_file(dir.path() + tree + "/x/y"), "z");
  EXPECT_EQ(fs::read_link(dir.path() + tree + "/l"), file);
  EXPECT_EQ(rooted.add_tree("t", {{"x/y", TreeEntry::File, "z"}, {"l", TreeEntry::Symlink, file}}),
            tree);
  EXPECT_FALSE(fs::exists(tree));
}

TEST(Store, AddFileIsContentAddressedAndReadOnly) {
  TempDir dir;
  Store store(dir.path());
  std::string a = store.add_file("a", "one", false);
  std::string b = store.add_file("a", "two", false);
  std::string x = store.add_file("a", "one", true);
  EXPECT_NE(a, b);
  EXPECT_NE(a, x);
  EXPECT_EQ(store.add_file("a", "one", false), a);
  EXPECT_EQ(fs::read_file(a), "one");
  struct stat st;
  ASSERT_EQ(::stat(a.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  ASSERT_EQ(::stat(x.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0555u);
  EXPECT_TRUE(store.contains(a));
  EXPECT_FALSE(store.contains(a + "/x"));
  EXPECT_EQ(store.top_level(a + "/x/y"), a);
  EXPECT_ERROR_CONTAINS(store.add_file("bad name", "", false), "invalid store name");
}

TEST(Store, TreesHoldFilesAndLinks) {
  TempDir dir;
  Store store(dir.path());
  std::vector<TreeEntry> entries = {{"etc/a", TreeEntry::File, "A"},
                                    {"bin/run", TreeEntry::Executable, "#!/bin/sh\n"},
                                    {"etc/link", TreeEntry::Symlink, "a"}};
  std::string tree = store.add_tree("t", entries);
  EXPECT_EQ(fs::read_file(tree + "/etc/a"), "A");
  EXPECT_EQ(fs::read_file(tree + "/etc/link"), "A");
  EXPECT_EQ(::access((tree + "/bin/run").c_str(), X_OK), 0);
  // The same entries in another order are the same tree.
  std::vector<TreeEntry> reordered = {entries[2], entries[0], entries[1]};
  EXPECT_EQ(store.add_tree("t", reordered), tree);
  std::vector<TreeEntry> clash = {{"a", TreeEntry::File, "1"}, {"a", TreeEntry::File, "2"}};
  EXPECT_ERROR_CONTAINS(store.add_tree("t", clash), "two files would be placed at a");
}

TEST(Gc, KeepsWhatRootsReachAndDeletesTheRest) {
  TempDir dir;
  Store store(dir.path());
  std::string leaf = store.add_file("leaf", "data", false);
  std::string user = store.add_file("user", "uses " + leaf + "/ and more", false);
  std::string tree = store.add_tree("root", {{"link", TreeEntry::Symlink, user}});
  std::string orphan = store.add_file("orphan", "alone", false);
  auto live = live_paths(store, {tree});
  EXPECT_EQ(live, (std::set<std::string>{tree, user, leaf}));
  GcResult dry = collect_garbage(store, {tree}, true);
  EXPECT_EQ(dry.removed, std::vector<std::string>{orphan});
  EXPECT_TRUE(fs::exists(orphan));
  collect_garbage(store, {tree}, false);
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_TRUE(fs::exists(leaf));
  EXPECT_TRUE(fs::exists(tree + "/link"));
}

TEST(Gc, RootsAreTheGenerationsAndTheResultLinksThatStillExist) {
  TempDir dir;
  Home home{dir.path(), dir / "store", dir / "profiles", dir / "gcroots", dir / "nix-roots"};
  prepare_home(home);
  Profile profile(home.profiles, "processes");
  profile.set(home.store + "/1-first");
  profile.set(home.store + "/2-second");
  fs::replace_symlink(home.store + "/3-built", dir / "result");
  fs::replace_symlink(dir / "result", home.gcroots + "/kept");
  fs::replace_symlink(dir / "gone", home.gcroots + "/stale");
  auto roots = gc_roots(home);
  std::sort(roots.begin(), roots.end());
  EXPECT_EQ(roots, (std::vector<std::string>{home.store + "/1-first", home.store + "/2-second",
                                             home.store + "/3-built"}));
  EXPECT_FALSE(fs::lexists(home.gcroots + "/stale"));  // its result link is gone
  EXPECT_TRUE(fs::lexists(home.gcroots + "/kept"));
}

TEST(Profile, GenerationsFlipAtomicallyAndRollBack) {
  TempDir dir;
  Profile profile(dir.path(), "processes");
  EXPECT_FALSE(profile.current());
  EXPECT_EQ(profile.set("/store/a"), 1);
  EXPECT_EQ(profile.set("/store/a"), 1);  // same target: no new generation
  EXPECT_EQ(profile.set("/store/b"), 2);
  EXPECT_EQ(profile.set("/store/c"), 3);
  EXPECT_EQ(profile.current()->target, "/store/c");
  EXPECT_EQ(fs::read_link(profile.link()), "processes-3-link");
  profile.switch_to(1);
  EXPECT_EQ(profile.current()->number, 1);
  EXPECT_ERROR_CONTAINS(profile.switch_to(9), "has no generation 9");
  auto deleted = profile.delete_generations({"old"});
  EXPECT_EQ(deleted, (std::vector<int>{2, 3}));
  ASSERT_EQ(profile.generations().size(), 1u);
  EXPECT_EQ(profile.set("/store/d"), 2);
  EXPECT_EQ(profile.delete_generations({"+1"}), std::vector<int>{1});
  EXPECT_ERROR_CONTAINS(profile.delete_generations({"yesterday"}), "cannot understand generation");
  profile.delete_all();
  EXPECT_TRUE(profile.generations().empty());
  EXPECT_FALSE(fs::lexists(profile.link()));
  EXPECT_ERROR_CONTAINS(Profile(dir.path(), "a/b"), "invalid profile name");
}

}  // namespace
}  // namespace nixproc
