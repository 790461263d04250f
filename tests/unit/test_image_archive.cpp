// The docker-archive writer: the same input gives the same bytes whatever the
// source files' times, the umask or the locale; manifest, config and layers
// agree on every digest; layers hold parent directories, modes, owners,
// symlinks and streamed content; bad input is refused leaving no file behind.
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <clocale>

#include <nlohmann/json.hpp>

#include "image/archive.h"
#include "test_support.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"

namespace nixproc {
namespace {

using image::ImageConfig;
using image::ImageFile;
using image::Layer;
using json = nlohmann::json;
using testing::TempDir;

// One member of a tar as read back.
struct Member {
  std::string name;
  mode_t type = 0;
  unsigned mode = 0;
  long long uid = 0, gid = 0;
  time_t mtime = 0;
  std::string content, symlink;
  bool has_uname = false, has_gname = false, has_atime = false, has_ctime = false;
};

struct ReadFree {
  void operator()(struct archive* handle) const { archive_read_free(handle); }
};

// Every member of the tar in `bytes`, in order.
std::vector<Member> read_tar(const std::string& bytes) {
  std::unique_ptr<struct archive, ReadFree> tar(archive_read_new());
  archive_read_support_format_tar(tar.get());
  EXPECT_EQ(archive_read_open_memory(tar.get(), bytes.data(), bytes.size()), ARCHIVE_OK);
  std::vector<Member> members;
  archive_entry* entry;
  while (archive_read_next_header(tar.get(), &entry) == ARCHIVE_OK) {
    Member member;
    member.name = archive_entry_pathname(entry);
    member.type = archive_entry_filetype(entry);
    member.mode = archive_entry_perm(entry);
    member.uid = archive_entry_uid(entry);
    member.gid = archive_entry_gid(entry);
    member.mtime = archive_entry_mtime(entry);
    member.has_uname = archive_entry_uname(entry) && *archive_entry_uname(entry);
    member.has_gname = archive_entry_gname(entry) && *archive_entry_gname(entry);
    member.has_atime = archive_entry_atime_is_set(entry);
    member.has_ctime = archive_entry_ctime_is_set(entry);
    if (archive_entry_symlink(entry)) member.symlink = archive_entry_symlink(entry);
    char buffer[65536];
    for (la_ssize_t n; (n = archive_read_data(tar.get(), buffer, sizeof buffer)) > 0;)
      member.content.append(buffer, static_cast<size_t>(n));
    members.push_back(member);
  }
  return members;
}

const Member* find(const std::vector<Member>& members, const std::string& name) {
  for (const auto& member : members)
    if (member.name == name) return &member;
  return nullptr;
}

std::vector<std::string> names(const std::vector<Member>& members) {
  std::vector<std::string> out;
  for (const auto& member : members) out.push_back(member.name);
  return out;
}

ImageFile file(const std::string& path, const std::string& data, unsigned mode = 0644) {
  ImageFile out;
  out.path = path;
  out.data = data;
  out.mode = mode;
  return out;
}

ImageFile from_source(const std::string& path, const std::string& source, unsigned mode = 0755) {
  ImageFile out;
  out.path = path;
  out.source = source;
  out.mode = mode;
  return out;
}

ImageFile directory(const std::string& path, unsigned mode, unsigned uid = 0, unsigned gid = 0) {
  ImageFile out;
  out.path = path;
  out.kind = ImageFile::Directory;
  out.mode = mode;
  out.uid = uid;
  out.gid = gid;
  return out;
}

ImageFile symlink(const std::string& path, const std::string& target) {
  ImageFile out;
  out.path = path;
  out.kind = ImageFile::Symlink;
  out.data = target;
  return out;
}

// An image of two layers whose file content comes from `dir`.
std::vector<Layer> sample_layers(const std::string& dir) {
  Layer base;
  base.files = {from_source("usr/bin/tool", dir + "/tool"), symlink("bin", "usr/bin"),
                directory("tmp", 01777)};
  ImageFile owned = file("srv/data/owned", "mine\n", 0640);
  owned.uid = 1234;
  owned.gid = 2345;
  Layer top;
  top.files = {owned, from_source("etc/big", dir + "/big", 0644), file("etc/motd", "hello\n")};
  return {base, top};
}

void write_sources(const std::string& dir) {
  fs::write_file_atomic(dir + "/tool", "#!/bin/sh\necho tool\n", 0700, false);
  std::string big;
  for (int i = 0; big.size() < (size_t{3} << 20); ++i) big += std::to_string(i) + "\n";
  fs::write_file_atomic(dir + "/big", big, 0600, false);
}

void set_mtime(const std::string& path, time_t when) {
  struct timeval times[2] = {{when, 0}, {when, 0}};
  ASSERT_EQ(::utimes(path.c_str(), times), 0);
}

ImageConfig sample_config() {
  ImageConfig config;
  config.cmd = {"/usr/bin/tool", "--flag"};
  config.env = {"PATH=/usr/bin:/bin", "GREETING=hi there"};
  config.working_dir = "/srv";
  config.labels = {{"org.example.b", "2"}, {"org.example.a", "1"}};
  return config;
}

// The members of an archive file, and its JSON documents parsed.
struct ReadArchive {
  std::vector<Member> members;
  json manifest, config;
  std::string config_name;
  explicit ReadArchive(const std::string& path) : members(read_tar(fs::read_file(path))) {
    const Member* manifest_member = find(members, "manifest.json");
    if (!manifest_member) throw std::runtime_error("no manifest.json");
    manifest = json::parse(manifest_member->content);
    config_name = manifest.at(0).at("Config");
    const Member* config_member = find(members, config_name);
    if (!config_member) throw std::runtime_error("no config " + config_name);
    config = json::parse(config_member->content);
  }
  std::vector<Member> layer(size_t index) const {
    std::string name = manifest.at(0).at("Layers").at(index);
    return read_tar(find(members, name)->content);
  }
};

// What is in `dir` besides the given names.
std::vector<std::string> others_in(const std::string& dir, std::vector<std::string> known) {
  std::vector<std::string> out;
  for (const auto& name : fs::list_directory(dir))
    if (std::find(known.begin(), known.end(), name) == known.end()) out.push_back(name);
  return out;
}

TEST(ImageArchive, SameInputGivesTheSameBytesWhateverTheTimesAndUmask) {
  TempDir one, two;
  mode_t before = ::umask(077);
  write_sources(one.path());
  set_mtime(one / "tool", 1000);
  image::write_docker_archive(one / "image.tar", "test:latest", sample_layers(one.path()),
                              sample_config());
  ::umask(002);
  write_sources(two.path());
  set_mtime(two / "big", 2000000000);
  ::sleep(1);  // another second of "now" for anything that would record it
  image::write_docker_archive(two / "image.tar", "test:latest", sample_layers(two.path()),
                              sample_config());
  ::umask(before);
  std::string first = fs::read_file(one / "image.tar");
  EXPECT_EQ(sha256_hex(first), sha256_hex(fs::read_file(two / "image.tar")));
  EXPECT_EQ(first.size() % 512, 0u);
  // Another tag is another manifest, the same config and layers.
  image::write_docker_archive(two / "other.tar", "test:other", sample_layers(two.path()),
                              sample_config());
  EXPECT_NE(sha256_hex(first), sha256_hex(fs::read_file(two / "other.tar")));
  EXPECT_EQ(ReadArchive(one / "image.tar").config_name, ReadArchive(two / "other.tar").config_name);
}

TEST(ImageArchive, ManifestConfigAndLayersAgreeOnEveryDigest) {
  TempDir dir;
  write_sources(dir.path());
  auto layers = sample_layers(dir.path());
  image::write_docker_archive(dir / "image.tar", "localhost/test:1.0", layers, sample_config());
  ReadArchive archive(dir / "image.tar");
  ASSERT_EQ(archive.manifest.size(), 1u);
  const json& item = archive.manifest[0];
  EXPECT_EQ(item.at("RepoTags"), json::array({"localhost/test:1.0"}));
  EXPECT_EQ(archive.config_name,
            sha256_hex(find(archive.members, archive.config_name)->content) + ".json");
  const json& diff_ids = archive.config.at("rootfs").at("diff_ids");
  EXPECT_EQ(archive.config.at("rootfs").at("type"), "layers");
  ASSERT_EQ(item.at("Layers").size(), 2u);
  ASSERT_EQ(diff_ids.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    std::string name = item["Layers"][i];
    const Member* layer = find(archive.members, name);
    ASSERT_NE(layer, nullptr) << name;
    std::string hex = sha256_hex(layer->content);
    EXPECT_EQ(name, hex + "/layer.tar");
    EXPECT_EQ(diff_ids[i], "sha256:" + hex);
    EXPECT_EQ(diff_ids[i], image::layer_diff_id(layers[i]));
    EXPECT_NE(find(archive.members, hex + "/"), nullptr) << "the layer's directory";
  }
  EXPECT_EQ(archive.config.at("history").size(), 2u);
  EXPECT_EQ(archive.config.at("created"), "1970-01-01T00:00:01Z");
  EXPECT_EQ(archive.config.at("history")[0].at("created"), "1970-01-01T00:00:01Z");
  EXPECT_EQ(archive.config.at("os"), "linux");
  EXPECT_EQ(archive.config.at("architecture"), image::image_architecture());
  // The outer archive: sorted, fixed times, numeric owners only.
  auto outer = names(archive.members);
  EXPECT_TRUE(std::is_sorted(outer.begin(), outer.end())) << json(outer).dump();
  EXPECT_EQ(outer.back(), "manifest.json");
  for (const auto& member : archive.members) {
    EXPECT_EQ(member.mtime, 1) << member.name;
    EXPECT_EQ(member.uid, 0) << member.name;
    EXPECT_FALSE(member.has_uname || member.has_gname || member.has_atime || member.has_ctime);
  }
}

TEST(ImageArchive, NamesWithARegistryAndPathAreAccepted) {
  TempDir dir;
  for (const std::string tag :
       {"localhost/app:1", "registry.example.com:5000/team/my_app:v1.2-rc_3", "host:5000/a:B",
        "a__b/c-d:latest"}) {
    image::write_docker_archive(dir / "image.tar", tag, {}, {});
    EXPECT_EQ(ReadArchive(dir / "image.tar").manifest[0]["RepoTags"], json::array({tag}));
  }
}

TEST(ImageArchive, ArchitectureNamesFollowOci) {
  std::string arch = image::image_architecture();
  EXPECT_NE(arch, "x86_64");
  EXPECT_NE(arch, "aarch64");
  EXPECT_FALSE(arch.empty());
}

TEST(ImageArchive, LayersHoldParentsModesOwnersLinksAndContent) {
  TempDir dir;
  write_sources(dir.path());
  image::write_docker_archive(dir / "image.tar", "test:latest", sample_layers(dir.path()),
                              sample_config());
  ReadArchive archive(dir / "image.tar");
  auto base = archive.layer(0);
  EXPECT_EQ(names(base),
            (std::vector<std::string>{"bin", "tmp/", "usr/", "usr/bin/", "usr/bin/tool"}));
  const Member* usr = find(base, "usr/");
  EXPECT_EQ(usr->type, AE_IFDIR);
  EXPECT_EQ(usr->mode, 0755u);
  EXPECT_EQ(find(base, "tmp/")->mode, 01777u);
  const Member* link = find(base, "bin");
  EXPECT_EQ(link->type, AE_IFLNK);
  EXPECT_EQ(link->symlink, "usr/bin");
  const Member* tool = find(base, "usr/bin/tool");
  EXPECT_EQ(tool->type, AE_IFREG);
  EXPECT_EQ(tool->mode, 0755u);  // the image's mode, not the source's 0700
  EXPECT_EQ(tool->content, "#!/bin/sh\necho tool\n");

  auto top = archive.layer(1);
  EXPECT_EQ(names(top), (std::vector<std::string>{"etc/", "etc/big", "etc/motd", "srv/",
                                                  "srv/data/", "srv/data/owned"}));
  const Member* owned = find(top, "srv/data/owned");
  EXPECT_EQ(owned->mode, 0640u);
  EXPECT_EQ(owned->uid, 1234);
  EXPECT_EQ(owned->gid, 2345);
  EXPECT_EQ(owned->content, "mine\n");
  EXPECT_EQ(find(top, "srv/data/")->uid, 0);
  EXPECT_EQ(find(top, "etc/big")->content, fs::read_file(dir / "big"));
  for (const auto& member : top) {
    EXPECT_EQ(member.mtime, 1) << member.name;
    EXPECT_FALSE(member.has_uname || member.has_gname || member.has_atime || member.has_ctime);
  }
}

// A Python module keeps its time: its compiled .pyc is checked against it.
TEST(ImageArchive, AFileMayKeepItsOwnTime) {
  TempDir dir;
  fs::write_file_atomic(dir / "m.py", "x = 1\n");
  image::Layer layer;
  layer.files.push_back({"m.py", image::ImageFile::File, 0644, 0, 0, dir / "m.py", "", 1671840600});
  layer.files.push_back(
      {"inline.py", image::ImageFile::File, 0644, 0, 0, "", "y = 2\n", 1671840601});
  layer.files.push_back({"other", image::ImageFile::File, 0644, 0, 0, "", "z\n"});
  image::write_docker_archive(dir / "image.tar", "test:latest", {layer}, sample_config());
  ReadArchive archive(dir / "image.tar");
  auto files = archive.layer(0);
  EXPECT_EQ(find(files, "m.py")->mtime, 1671840600);
  EXPECT_EQ(find(files, "inline.py")->mtime, 1671840601);
  EXPECT_EQ(find(files, "other")->mtime, 1);
}

TEST(ImageArchive, ListedDirectoriesKeepTheirModeAndChildrenFollowTheirParent) {
  TempDir dir;
  Layer layer;
  layer.files = {file("a-c", "x"), file("a/b", "y"), directory("a", 0700, 5, 6), file("a.d", "")};
  image::write_docker_archive(dir / "image.tar", "test:latest", {layer}, {});
  auto members = ReadArchive(dir / "image.tar").layer(0);
  EXPECT_EQ(names(members), (std::vector<std::string>{"a/", "a/b", "a-c", "a.d"}));
  EXPECT_EQ(find(members, "a/")->mode, 0700u);
  EXPECT_EQ(find(members, "a/")->uid, 5);
}

TEST(ImageArchive, LongPathsBigIdsAndUnicodeNamesAreReproducibleInAnyLocale) {
  TempDir dir;
  std::string deep;
  for (int i = 0; i < 16; ++i) deep += "component-number-" + std::to_string(i) + "/";
  Layer layer;
  ImageFile big_owner = file(deep + "file", "deep");
  big_owner.uid = big_owner.gid = 3000000;  // beyond ustar's 7 octal digits
  layer.files = {big_owner, file("ünïcödé/naïve", "u"), symlink("link", deep + "file")};
  std::string previous = std::setlocale(LC_ALL, nullptr);
  std::setlocale(LC_ALL, "C");
  image::write_docker_archive(dir / "c.tar", "test:latest", {layer}, {});
  std::setlocale(LC_ALL, "C.UTF-8");
  image::write_docker_archive(dir / "utf8.tar", "test:latest", {layer}, {});
  auto members = ReadArchive(dir / "utf8.tar").layer(0);
  std::setlocale(LC_ALL, previous.c_str());
  EXPECT_EQ(fs::read_file(dir / "c.tar"), fs::read_file(dir / "utf8.tar"));
  const Member* deep_file = find(members, deep + "file");
  ASSERT_NE(deep_file, nullptr) << json(names(members)).dump();
  EXPECT_EQ(deep_file->uid, 3000000);
  EXPECT_EQ(deep_file->content, "deep");
  EXPECT_EQ(find(members, "link")->symlink, deep + "file");
  EXPECT_NE(find(members, "ünïcödé/naïve"), nullptr) << json(names(members)).dump();
  // The UTF-8 bytes as given, not normalised or escaped.
  EXPECT_NE(fs::read_file(dir / "c.tar").find("na\xc3\xafve"), std::string::npos);
}

TEST(ImageArchive, IdenticalLayersAreStoredOnce) {
  TempDir dir;
  Layer layer;
  layer.files = {file("etc/a", "a")};
  Layer other;
  other.files = {file("etc/b", "b")};
  image::write_docker_archive(dir / "image.tar", "test:latest", {layer, other, layer}, {});
  ReadArchive archive(dir / "image.tar");
  const json& layers = archive.manifest[0]["Layers"];
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(layers[0], layers[2]);
  EXPECT_NE(layers[0], layers[1]);
  EXPECT_EQ(archive.config["rootfs"]["diff_ids"].size(), 3u);
  size_t stored = 0;
  for (const auto& member : archive.members)
    if (member.name.ends_with("/layer.tar")) ++stored;
  EXPECT_EQ(stored, 2u);
  EXPECT_EQ(others_in(dir.path(), {"image.tar"}), std::vector<std::string>{});
}

TEST(ImageArchive, DuplicatePathsAreRefusedUnlessIdentical) {
  TempDir dir;
  Layer same;
  same.files = {file("etc/a", "a"), file("etc/a", "a")};
  image::write_docker_archive(dir / "image.tar", "test:latest", {same}, {});
  EXPECT_EQ(names(ReadArchive(dir / "image.tar").layer(0)),
            (std::vector<std::string>{"etc/", "etc/a"}));

  Layer differing;
  differing.files = {file("etc/a", "a"), file("etc/a", "b")};
  EXPECT_ERROR_CONTAINS(
      image::write_docker_archive(dir / "bad.tar", "test:latest", {differing}, {}), "\"etc/a\"");
  Layer not_a_directory;
  not_a_directory.files = {file("etc", "a"), file("etc/a", "b")};
  EXPECT_ERROR_CONTAINS(
      image::write_docker_archive(dir / "bad.tar", "test:latest", {not_a_directory}, {}),
      "\"etc\" is not a directory");
  // The same path in two layers is fine: the upper one wins in the container.
  Layer replacing;
  replacing.files = {file("etc/a", "b")};
  image::write_docker_archive(dir / "two.tar", "test:latest", {same, replacing}, {});
  EXPECT_EQ(others_in(dir.path(), {"image.tar", "two.tar"}), std::vector<std::string>{});
}

TEST(ImageArchive, BadPathsAreRefusedAndLeaveNoFile) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"/etc/passwd", "is absolute"},
      {"etc/../../x", "'..' component"},
      {"..", "'..' component"},
      {"etc//x", "empty component"},
      {"etc/", "empty component"},
      {"./etc", "'.' component"},
      {"", "is empty"},
      {std::string("etc/a\0b", 7), "NUL byte"},
      {"etc/\xff", "not valid UTF-8"},
      {"etc/\xc0\xaf", "not valid UTF-8"},
  };
  for (const auto& [path, why] : bad) {
    Layer layer;
    layer.files = {file("fine", "x"), file(path, "y")};
    EXPECT_ERROR_CONTAINS(image::write_docker_archive(dir / "image.tar", "t:1", {{}, layer}, {}),
                          why);
  }
  EXPECT_EQ(fs::list_directory(dir.path()), std::vector<std::string>{});
}

TEST(ImageArchive, BadFilesAreRefused) {
  TempDir dir;
  auto refused = [&](const ImageFile& bad, const std::string& why) {
    Layer layer;
    layer.files = {bad};
    EXPECT_ERROR_CONTAINS(image::write_docker_archive(dir / "image.tar", "t:1", {layer}, {}), why);
  };
  refused(symlink("link", ""), "\"link\" is a symlink without a target");
  refused(file("mode", "", 0100644), "\"mode\" has mode");
  ImageFile dir_with_source = directory("d", 0755);
  dir_with_source.source = "/etc/hostname";
  refused(dir_with_source, "has a source but is not a file");
  ImageFile both = from_source("both", "/etc/hostname");
  both.data = "inline";
  refused(both, "\"both\" has both a source and inline content");
  EXPECT_ERROR_CONTAINS(image::write_docker_archive(dir / "image.tar", "Upper:case", {}, {}),
                        "\"Upper:case\" is not of the form name:tag");
  for (const std::string tag : {"notag", "Foo/bar:1", "a:b:c", "a/:1", "a:-x", ":1", "a:"})
    EXPECT_ERROR_CONTAINS(image::write_docker_archive(dir / "image.tar", tag, {}, {}), "name:tag");
  ImageConfig config;
  config.env = {"NOVALUE"};
  EXPECT_ERROR_CONTAINS(image::write_docker_archive(dir / "image.tar", "t:1", {}, config),
                        "\"NOVALUE\" is not NAME=value");
  EXPECT_EQ(fs::list_directory(dir.path()), std::vector<std::string>{});
}

TEST(ImageArchive, MissingOrIrregularSourcesAreRefusedAndLeaveNoFile) {
  TempDir dir;
  fs::write_file_atomic(dir / "present", "p", 0644, false);
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  fs::make_directories(dir / "subdir");
  const std::vector<std::string> known = {"present", "fifo", "subdir"};
  for (const std::string source : {"missing", "fifo", "subdir"}) {
    Layer good, bad;
    good.files = {from_source("bin/present", dir / "present")};
    bad.files = {file("a", "a"), from_source("bin/x", dir / source)};
    // The second layer fails after the first was written to its temporary file.
    EXPECT_ERROR_CONTAINS(
        image::write_docker_archive(dir / "image.tar", "t:1", {good, bad}, sample_config()),
        "source " + dir / source + " of image file \"bin/x\"");
    EXPECT_EQ(others_in(dir.path(), known), std::vector<std::string>{}) << source;
  }
  EXPECT_ERROR_CONTAINS(image::layer_diff_id(Layer{{from_source("x", dir / "missing")}}),
                        "does not exist");
}

TEST(ImageArchive, AFailedWriteKeepsTheArchiveThatWasThere) {
  TempDir dir;
  fs::write_file_atomic(dir / "image.tar", "previous", 0644, false);
  EXPECT_ERROR_CONTAINS(
      image::write_docker_archive(dir / "image.tar", "t:1",
                                  {Layer{{from_source("x", dir / "missing")}}}, {}),
      "does not exist");
  EXPECT_EQ(fs::read_file(dir / "image.tar"), "previous");
  EXPECT_ERROR_CONTAINS(image::write_docker_archive(dir / "no/such/dir/image.tar", "t:1", {}, {}),
                        dir / "no/such/dir/image.tar");
  EXPECT_EQ(others_in(dir.path(), {"image.tar"}), std::vector<std::string>{});
}

TEST(ImageArchive, ConfigLeavesOutWhatIsNotSet) {
  TempDir dir;
  image::write_docker_archive(dir / "empty.tar", "t:1", {}, {});
  ReadArchive empty(dir / "empty.tar");
  EXPECT_EQ(empty.config.at("config"), json::object());
  EXPECT_EQ(empty.config.at("rootfs").at("diff_ids"), json::array());

  ImageConfig config;
  config.entrypoint = {"/bin/entry"};
  config.cmd = {"run", "it's \"quoted\""};
  config.env = {"A=1"};
  config.working_dir = "/w";
  config.user = "1000:1000";
  config.stop_signal = "SIGINT";
  config.labels = {{"k", "v"}};
  image::write_docker_archive(dir / "full.tar", "t:1", {}, config);
  json full = ReadArchive(dir / "full.tar").config.at("config");
  EXPECT_EQ(full, (json{{"Entrypoint", {"/bin/entry"}},
                        {"Cmd", {"run", "it's \"quoted\""}},
                        {"Env", {"A=1"}},
                        {"WorkingDir", "/w"},
                        {"User", "1000:1000"},
                        {"StopSignal", "SIGINT"},
                        {"Labels", {{"k", "v"}}}}));
  config.user.clear();
  config.labels.clear();
  config.entrypoint.clear();
  image::write_docker_archive(dir / "some.tar", "t:1", {}, config);
  json some = ReadArchive(dir / "some.tar").config.at("config");
  EXPECT_FALSE(some.contains("User"));
  EXPECT_FALSE(some.contains("Labels"));
  EXPECT_FALSE(some.contains("Entrypoint"));
  EXPECT_TRUE(some.contains("Cmd"));

  config.cmd = {"bad \xff"};
  EXPECT_ERROR_CONTAINS(image::write_docker_archive(dir / "bad.tar", "t:1", {}, config),
                        "not valid UTF-8");
  EXPECT_FALSE(fs::exists(dir / "bad.tar"));
}

}  // namespace
}  // namespace nixproc
