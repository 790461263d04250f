// The <nixpkgs> compatibility set's host packages: the table parser, the
// prefix or link-farm decision, dpkg's output, and the generated Nix file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "compat/dpkg.h"
#include "compat/host_layout.h"
#include "compat/host_packages.h"
#include "compat/package_table.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc::compat {
namespace {

TEST(PackageTable, ParsesEntriesCommentsAndLinks) {
  PackageTable table = parse_package_table(
      "# comment\n"
      "\n"
      "coreutils coreutils\n"
      "  nginx\tnginx nginx-common link=conf:/etc/nginx  # trailing comment\n"
      "postgresql postgresql postgresql-15 libfoo:amd64\n"
      "python3Packages.supervisor supervisor\n",
      "t");
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(table[3].attr, "python3Packages.supervisor");
  EXPECT_EQ(table[0], (TableEntry{"coreutils", {"coreutils"}, {}}));
  EXPECT_EQ(table[1], (TableEntry{"nginx", {"nginx", "nginx-common"}, {{"conf", "/etc/nginx"}}}));
  EXPECT_EQ(table[2].packages,
            (std::vector<std::string>{"postgresql", "postgresql-15", "libfoo:amd64"}));
}

TEST(PackageTable, LaterLinesAndTablesReplaceEarlierOnes) {
  PackageTable table = parse_package_table("a p1\nb p2\na p3\n", "t");
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0].packages, std::vector<std::string>{"p3"});
  merge_tables(table, parse_package_table("b p4\nc p5\n", "user"));
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table[1].packages, std::vector<std::string>{"p4"});
  EXPECT_EQ(table[2].attr, "c");
}

TEST(PackageTable, BadLinesNameFileAndLine) {
  auto message = [](const std::string& text) {
    try {
      parse_package_table(text, "my-table");
    } catch (const Error& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("ok ok\nlonely\n"),
            "my-table:2: attribute lonely names no Debian package (ATTRIBUTE PACKAGE...)");
  EXPECT_NE(message("a..b pkg\n").find("my-table:1: invalid attribute name \"a..b\""),
            std::string::npos);
  EXPECT_NE(message("a Bad_Name\n").find("invalid Debian package name"), std::string::npos);
  EXPECT_NE(message("a pk link=/abs:/x\n").find("link must be"), std::string::npos);
  EXPECT_NE(message("a pk link=conf:relative\n").find("link must be"), std::string::npos);
  EXPECT_NE(message("a pk link=../x:/y\n").find("link must be"), std::string::npos);
  EXPECT_NE(message("a pk link=co$(x):/y\n").find("link must be"), std::string::npos);
}

TEST(HostLayout, OneBinDirectoryIsThePrefix) {
  EXPECT_EQ(decide_layout({"/usr/bin/redis-server", "/usr/bin/redis-cli"}, {}).prefix, "/usr");
  EXPECT_EQ(decide_layout(
                {"/usr/lib/postgresql/15/bin/postgres", "/usr/lib/postgresql/15/bin/initdb"}, {})
                .prefix,
            "/usr/lib/postgresql/15");
  EXPECT_EQ(decide_layout({}, {}).prefix, "/usr");  // no executables: data or libraries
}

TEST(HostLayout, SbinOrSeveralDirectoriesMakeALinkFarm) {
  HostLayout nginx = decide_layout({"/usr/sbin/nginx"}, {});
  EXPECT_EQ(nginx.prefix, "");
  EXPECT_EQ(nginx.links, (std::vector<Link>{{"bin/nginx", "/usr/sbin/nginx"},
                                            {"share", "/usr/share"},
                                            {"lib", "/usr/lib"},
                                            {"etc", "/etc"}}));
  // A name in both bin and sbin comes from bin, whatever the list's order.
  HostLayout both = decide_layout({"/usr/sbin/tool", "/usr/bin/tool", "/usr/sbin/other"}, {});
  EXPECT_EQ(both.links[0], (Link{"bin/tool", "/usr/bin/tool"}));
  EXPECT_EQ(both.links[1], (Link{"bin/other", "/usr/sbin/other"}));
  EXPECT_EQ(both.links.size(), 5u);
}

TEST(HostLayout, TableLinksForceAFarmAndWin) {
  HostLayout apache = decide_layout({"/usr/bin/ab"}, {{"bin/ab", "/opt/ab"}, {"etc", "/etc/x"}});
  EXPECT_EQ(apache.prefix, "");
  EXPECT_EQ(
      apache.links,
      (std::vector<Link>{
          {"bin/ab", "/opt/ab"}, {"etc", "/etc/x"}, {"share", "/usr/share"}, {"lib", "/usr/lib"}}));
}

TEST(HostLayout, ExecutableDirectoriesAndMergedUsr) {
  EXPECT_TRUE(in_executable_dir("/usr/sbin/nginx"));
  EXPECT_TRUE(in_executable_dir("/usr/lib/postgresql/15/bin/pg_ctl"));
  EXPECT_TRUE(in_executable_dir("/usr/libexec/helper"));
  EXPECT_FALSE(in_executable_dir("/usr/bin"));
  EXPECT_FALSE(in_executable_dir("/usr/share/doc/bin-thing"));
  EXPECT_EQ(usr_merged("/bin/cat"), "/usr/bin/cat");
  EXPECT_EQ(usr_merged("/sbin/runit"), "/usr/sbin/runit");
  EXPECT_EQ(usr_merged("/usr/bin/cat"), "/usr/bin/cat");
  EXPECT_EQ(usr_merged("/binary"), "/binary");
}

TEST(Dpkg, OnlyInstalledPackagesCount) {
  auto installed = parse_installed(
      "install ok installed\tnginx\t1.22.1-9\n"
      "deinstall ok config-files\tapache2\t2.4\n"
      "install ok installed\tlibc6:amd64\t2.36-9\n"
      "garbage\n");
  EXPECT_EQ(installed,
            (std::map<std::string, std::string>{{"nginx", "1.22.1-9"}, {"libc6", "2.36-9"}}));
}

TEST(Dpkg, FileListsWithAndWithoutArchitecture) {
  testing::TempDir dir;
  fs::write_file_atomic(dir.path() + "/plain.list", "/.\n/usr/bin/plain\n");
  fs::write_file_atomic(dir.path() + "/multi:amd64.list", "/usr/lib/x\n");
  EXPECT_EQ(package_files("plain", dir.path()), (std::vector<std::string>{"/.", "/usr/bin/plain"}));
  EXPECT_EQ(package_files("multi", dir.path()), std::vector<std::string>{"/usr/lib/x"});
  EXPECT_TRUE(package_files("absent", dir.path()).empty());
}

TEST(HostPackagesFile, EvaluatesToPrefixesFarmsAndErrors) {
  std::vector<HostPackage> packages = {
      {"coreutils", "coreutils", "9.1-1", {"/usr", {}}},
      {"nginx", "nginx", "1:1.22.1-9+deb12u1", {"", {{"bin/nginx", "/usr/sbin/nginx"}}}},
      {"apacheHttpd", "apache2", "", {}},
      {"python3Packages.supervisor", "supervisor", "4.2", {"/usr", {}}},
      {"python3Packages.six", "python3-six", "", {}},
  };
  std::string text = render_host_packages(packages);
  if (find_executable("nix-instantiate").empty()) GTEST_SKIP() << "nix-instantiate is missing";
  std::string expression = "let p = (" + text +
                           ") { linkFarm = name: links: { inherit name links; }; missing = a: p: "
                           "throw \"missing ${a} ${p}\"; }; in [ p.coreutils p.nginx "
                           "(builtins.tryEval p.apacheHttpd).success p.python3Packages.supervisor "
                           "(builtins.tryEval p.python3Packages.six).success ]";
  RunResult result = run({"nix-instantiate", "--store", "dummy://", "--eval", "--strict", "--json",
                          "--expr", expression},
                         capturing());
  ASSERT_TRUE(result.ok()) << result.err << "\n" << text;
  EXPECT_EQ(nlohmann::json::parse(result.out),
            nlohmann::json::parse(R"(["/usr", {"name": "nginx-1.22.1", "links":
                                  [["bin/nginx", "/usr/sbin/nginx"]]}, false, "/usr", false])"));
}

// ensure_host_packages: generated when missing, kept while nothing changed,
// generated again when the user's table is newer.
TEST(HostPackagesFile, EnsureGeneratesWhenMissingOrStale) {
  if (find_executable("dpkg-query").empty()) GTEST_SKIP() << "dpkg-query is missing";
  testing::TempDir dir;
  Home home = resolve_home(dir.path());
  Installation installation = locate_installation();
  std::string path = ensure_host_packages(home, installation);
  EXPECT_EQ(path, dir.path() + "/compat/host-packages.nix");
  EXPECT_TRUE(fs::exists(nixpkgs_dir(installation) + "/default.nix"));
  ASSERT_TRUE(fs::exists(path));
  EXPECT_NE(fs::read_file(path).find("  coreutils = "), std::string::npos);
  fs::write_file_atomic(path, "# kept\n");
  ensure_host_packages(home, installation);
  EXPECT_EQ(fs::read_file(path), "# kept\n");
  // A user table written later than the file.
  struct timespec old_times[2] = {{1000000000, 0}, {1000000000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), old_times, 0), 0);
  fs::write_file_atomic(user_table_path(home), "mything coreutils\n");
  ensure_host_packages(home, installation);
  EXPECT_NE(fs::read_file(path).find("  mything = "), std::string::npos);
}

TEST(MissingPackageHint, NamesTheAttributeAndTheUsersTable) {
  Home home{"/h", "/h/store", "/h/profiles", "/h/gcroots", "/h/nix-roots"};
  std::string hint = missing_package_hint(
      "cannot evaluate m.nix:\nerror: attribute 'notAPackage' missing\n\n       at m.nix:2:7:",
      home);
  EXPECT_NE(hint.find("if notAPackage is a nixpkgs package"), std::string::npos) << hint;
  EXPECT_NE(hint.find("`notAPackage DEBIAN-PACKAGE` to /h/compat/package-table"), std::string::npos)
      << hint;
  EXPECT_NE(missing_package_hint("error: undefined variable 'alsoNot'", home).find("alsoNot"),
            std::string::npos);
  EXPECT_EQ(missing_package_hint("error: attribute 'x' in selection path 'a.x' not found", home),
            "");
  EXPECT_EQ(missing_package_hint("error: builder for '/nix/store/x.drv' failed", home), "");
}

}  // namespace
}  // namespace nixproc::compat
