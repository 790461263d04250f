// The host file closure of self-contained images: the ELF reader (real
// binaries, compiled ones, hostile bytes), dpkg's status database, and the
// closure of real executables on this Debian host, down to running them in a
// root directory holding nothing but their closure.
#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>
#include <set>

#include "compat/dpkg.h"
#include "image/elf.h"
#include "image/host_closure.h"
#include "test_support.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace nixproc::image {
namespace {

using compat::parse_relation;
using compat::parse_status;
using Groups = std::vector<std::vector<std::string>>;

bool is_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool has_dpkg() {
  return fs::exists(compat::kDpkgStatus) && fs::is_symlink("/bin");
}

bool installed(const std::string& package) {
  for (const auto& record : compat::read_status())
    if (record.name == package) return true;
  return false;
}

const HostFile* find(const HostClosure& closure, const std::string& path) {
  auto it =
      std::lower_bound(closure.files.begin(), closure.files.end(), path,
                       [](const HostFile& file, const std::string& p) { return file.path < p; });
  return it != closure.files.end() && it->path == path ? &*it : nullptr;
}

bool has_package(const HostClosure& closure, const std::string& name) {
  return std::binary_search(closure.packages.begin(), closure.packages.end(), name);
}

// Whether an entry is `prefix` or below it.
bool any_under(const HostClosure& closure, std::string prefix) {
  if (prefix.back() == '/') prefix.pop_back();
  for (const auto& file : closure.files)
    if (file.path == prefix || file.path.rfind(prefix + "/", 0) == 0) return true;
  return false;
}

// ---- ELF ------------------------------------------------------------------

TEST(Elf, ReadsTheShell) {
  auto info = read_elf(fs::real_path("/bin/sh"));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->elf_class, static_cast<int>(sizeof(void*) * 8));
  EXPECT_NE(info->interpreter.find("ld-linux"), std::string::npos) << info->interpreter;
  EXPECT_NE(std::find(info->needed.begin(), info->needed.end(), "libc.so.6"), info->needed.end());
}

TEST(Elf, ReadsNginxAndLibrarySonames) {
  if (!is_file("/usr/sbin/nginx")) GTEST_SKIP() << "nginx is not installed";
  auto nginx = read_elf("/usr/sbin/nginx");
  ASSERT_TRUE(nginx);
  EXPECT_GT(nginx->needed.size(), 2u);
  EXPECT_TRUE(nginx->soname.empty());
  std::string libc = fs::real_path("/lib/" + multiarch_triplet(nginx->machine, 64) + "/libc.so.6");
  auto library = read_elf(libc);
  ASSERT_TRUE(library);
  EXPECT_EQ(library->soname, "libc.so.6");
  EXPECT_EQ(library->type, ET_DYN);
}

TEST(Elf, Reads32BitLibraries) {
  std::string libc;
  for (const char* path : {"/usr/lib32/libc.so.6", "/usr/lib/i386-linux-gnu/libc.so.6"})
    if (is_file(path)) libc = path;
  if (libc.empty()) GTEST_SKIP() << "no 32-bit libc here";
  auto info = read_elf(libc);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->elf_class, 32);
  EXPECT_EQ(info->machine, EM_386);
  EXPECT_EQ(info->soname, "libc.so.6");
  EXPECT_NE(std::find(info->needed.begin(), info->needed.end(), "ld-linux.so.2"),
            info->needed.end());
  EXPECT_EQ(multiarch_triplet(info->machine, 32), "i386-linux-gnu");
}

TEST(Elf, NotElfIsNoneAndAnEmptyFileToo) {
  testing::TempDir dir;
  fs::write_file_atomic(dir / "script", "#!/bin/sh\necho hi\n");
  fs::write_file_atomic(dir / "empty", "");
  EXPECT_FALSE(read_elf(dir / "script"));
  EXPECT_FALSE(read_elf(dir / "empty"));
  EXPECT_FALSE(
      parse_elf("\x7f"
                "EL",
                "short"));
  EXPECT_FALSE(read_elf_header(dir / "script"));
  EXPECT_ERROR_CONTAINS(read_elf(dir.path()), "not a regular file");
  EXPECT_ERROR_CONTAINS(read_elf(dir / "missing"), "cannot read");
}

std::string shell_bytes() {
  return fs::read_file(fs::real_path("/bin/sh"));
}

// Whatever the bytes, the reader returns or throws nixproc::Error.
void expect_no_crash(const std::string& bytes) {
  try {
    parse_elf(bytes, "hostile");
  } catch (const Error&) {
  }
}

TEST(Elf, TruncatedFilesAreErrors) {
  std::string bytes = shell_bytes();
  for (size_t size : {5ul, 16ul, 20ul, 63ul})
    EXPECT_ERROR_CONTAINS(parse_elf(bytes.substr(0, size), "cut"), "truncated");
  EXPECT_ERROR_CONTAINS(parse_elf(bytes.substr(0, 64), "cut"), "program headers beyond the end");
  for (size_t size = 0; size < 8192 && size < bytes.size(); size += 7)
    expect_no_crash(bytes.substr(0, size));
}

// Patches `bytes` at `offset` with the raw value.
template <class T>
std::string patched(std::string bytes, size_t offset, T value) {
  std::memcpy(bytes.data() + offset, &value, sizeof value);
  return bytes;
}

TEST(Elf, ForgedHeadersAreErrors) {
  std::string bytes = shell_bytes();
  if (bytes[EI_CLASS] != ELFCLASS64) GTEST_SKIP() << "the offsets below are the 64-bit header's";
  EXPECT_ERROR_CONTAINS(
      parse_elf(patched<uint64_t>(bytes, offsetof(Elf64_Ehdr, e_phoff), ~0ull), "x"),
      "program headers beyond");
  EXPECT_ERROR_CONTAINS(
      parse_elf(patched<uint16_t>(bytes, offsetof(Elf64_Ehdr, e_phnum), 0xfffe), "x"),
      "program headers");
  EXPECT_ERROR_CONTAINS(
      parse_elf(patched<uint16_t>(bytes, offsetof(Elf64_Ehdr, e_phentsize), 12), "x"),
      "program header size");
  // PN_XNUM sends the reader to section 0, here beyond the end.
  std::string extended = patched<uint16_t>(bytes, offsetof(Elf64_Ehdr, e_phnum), PN_XNUM);
  EXPECT_ERROR_CONTAINS(
      parse_elf(patched<uint64_t>(extended, offsetof(Elf64_Ehdr, e_shoff), 1ull << 40), "x"),
      "section header");
  std::string big_endian = bytes;
  big_endian[EI_DATA] = ELFDATA2MSB;
  EXPECT_ERROR_CONTAINS(parse_elf(big_endian, "x"), "little-endian");
  std::string bad_class = bytes;
  bad_class[EI_CLASS] = 7;
  EXPECT_ERROR_CONTAINS(parse_elf(bad_class, "named"), "named is a malformed ELF file");
}

// Breaks the dynamic segment's description: its offset, then its strings.
TEST(Elf, ForgedDynamicSectionsAreErrors) {
  std::string bytes = shell_bytes();
  if (bytes[EI_CLASS] != ELFCLASS64) GTEST_SKIP() << "the offsets below are the 64-bit header's";
  Elf64_Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof header);
  for (size_t i = 0; i < header.e_phnum; ++i) {
    size_t at = header.e_phoff + i * sizeof(Elf64_Phdr);
    Elf64_Phdr phdr;
    std::memcpy(&phdr, bytes.data() + at, sizeof phdr);
    if (phdr.p_type == PT_DYNAMIC) {
      EXPECT_ERROR_CONTAINS(
          parse_elf(patched<uint64_t>(bytes, at + offsetof(Elf64_Phdr, p_offset), bytes.size() - 8),
                    "x"),
          "dynamic section beyond");
      // Every DT_STRTAB moved out of the loaded segments.
      std::string moved = bytes;
      for (size_t d = phdr.p_offset; d + sizeof(Elf64_Dyn) <= phdr.p_offset + phdr.p_filesz;
           d += sizeof(Elf64_Dyn)) {
        Elf64_Dyn dyn;
        std::memcpy(&dyn, moved.data() + d, sizeof dyn);
        if (dyn.d_tag == DT_STRTAB) moved = patched<uint64_t>(moved, d + 8, 1ull << 50);
        if (dyn.d_tag == DT_STRSZ)
          EXPECT_ERROR_CONTAINS(parse_elf(patched<uint64_t>(bytes, d + 8, 1ull << 40), "x"),
                                "string table");
      }
      EXPECT_ERROR_CONTAINS(parse_elf(moved, "x"), "string table");
    }
    if (phdr.p_type == PT_INTERP)
      EXPECT_ERROR_CONTAINS(
          parse_elf(patched<uint64_t>(bytes, at + offsetof(Elf64_Phdr, p_filesz), 1 << 20), "x"),
          "PT_INTERP");
  }
}

TEST(Elf, RandomlyCorruptedHeadersNeverCrash) {
  std::string bytes = shell_bytes().substr(0, 16384);
  std::mt19937 random(42);
  for (int round = 0; round < 3000; ++round) {
    std::string copy = bytes;
    int flips = 1 + static_cast<int>(random() % 8);
    for (int i = 0; i < flips; ++i)
      copy[random() % std::min<size_t>(copy.size(), 1024)] = static_cast<char>(random());
    expect_no_crash(copy);
  }
}

// ---- compiled binaries: RUNPATH, RPATH, $ORIGIN ---------------------------

// A temporary tree with a library and programs built by the host's cc.
class Compiled : public ::testing::Test {
 protected:
  void SetUp() override {
    cc_ = find_executable("cc");
    if (cc_.empty()) GTEST_SKIP() << "no C compiler";
    fs::make_directories(dir_ / "src");
    fs::make_directories(dir_ / "lib");
    fs::make_directories(dir_ / "bin");
    fs::write_file_atomic(dir_ / "src/base.c", "int base(void) { return 1; }\n");
    fs::write_file_atomic(dir_ / "src/greet.c",
                          "int base(void);\nint greet(void) { return base(); }\n");
    fs::write_file_atomic(dir_ / "src/main.c",
                          "int greet(void);\nint main(void) { return greet() - 1; }\n");
    compile({"-shared", "-fPIC", "-o", dir_ / "lib/libbase.so", dir_ / "src/base.c"});
  }
  void compile(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), cc_);
    RunResult result = run(arguments, capturing());
    ASSERT_TRUE(result.ok()) << result.err;
  }
  // libgreet.so needs libbase.so and has no search path of its own; the
  // program finds both through its own `flag` (RUNPATH or RPATH).
  void build(const std::string& flag) {
    compile({"-shared", "-fPIC", "-o", dir_ / "lib/libgreet.so", dir_ / "src/greet.c",
             "-L" + dir_ / "lib", "-lbase"});
    compile({"-o", dir_ / "bin/main", dir_ / "src/main.c", "-L" + dir_ / "lib", "-lgreet",
             "-Wl,-rpath,$ORIGIN/../lib", "-Wl," + flag});
  }
  std::string cc_;
  testing::TempDir dir_;
};

TEST_F(Compiled, RunpathWithOriginIsReadAndResolved) {
  build("--enable-new-dtags");
  auto info = read_elf(dir_ / "bin/main");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->runpath, std::vector<std::string>{"$ORIGIN/../lib"});
  EXPECT_TRUE(info->rpath.empty());
  EXPECT_NE(std::find(info->needed.begin(), info->needed.end(), "libgreet.so"), info->needed.end());
  if (!has_dpkg()) GTEST_SKIP() << "not a dpkg host";
  // RUNPATH is for the program's own needs only: libgreet's libbase is lost,
  // as ld.so would lose it.
  EXPECT_ERROR_CONTAINS(host_closure({dir_ / "bin/main"}, {}),
                        "library libbase.so, needed by " + dir_ / "lib/libgreet.so");
}

TEST_F(Compiled, RpathIsInheritedByLibraries) {
  build("--disable-new-dtags");
  auto info = read_elf(dir_ / "bin/main");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->rpath, std::vector<std::string>{"$ORIGIN/../lib"});
  EXPECT_TRUE(info->runpath.empty());
  if (!has_dpkg()) GTEST_SKIP() << "not a dpkg host";
  RunResult ran = run({dir_ / "bin/main"});
  EXPECT_TRUE(ran.ok()) << ran.describe();
  HostClosure closure = host_closure({dir_ / "bin/main"}, {});
  for (const char* name : {"bin/main", "lib/libgreet.so", "lib/libbase.so"}) {
    const HostFile* file = find(closure, dir_ / name);
    ASSERT_TRUE(file) << name;
    EXPECT_EQ(file->kind, HostFile::File);
  }
  EXPECT_TRUE(has_package(closure, "libc6"));
  EXPECT_TRUE(find(closure, dir_.path())) << "the directories above a file are entries";
}

TEST_F(Compiled, LibraryOfAnotherMachineIsSkipped) {
  build("--disable-new-dtags");
  // A wrong-class libbase.so first in the path must be passed over.
  fs::make_directories(dir_ / "wrong");
  fs::write_file_atomic(dir_ / "wrong/libbase.so", "not a library");
  compile({"-o", dir_ / "bin/main", dir_ / "src/main.c", "-L" + dir_ / "lib", "-lgreet",
           "-Wl,-rpath," + dir_ / "wrong" + ":" + dir_ / "lib", "-Wl,--disable-new-dtags"});
  if (!has_dpkg()) GTEST_SKIP() << "not a dpkg host";
  HostClosure closure = host_closure({dir_ / "bin/main"}, {});
  EXPECT_TRUE(find(closure, dir_ / "lib/libbase.so"));
  EXPECT_FALSE(find(closure, dir_ / "wrong/libbase.so"));
}

// A Nix store program: the store is left out (its loader and libc too, and
// that loader knows no host directory), the host libraries it loads are in.
TEST_F(Compiled, NixStoreProgramsBringOnlyTheirHostLibraries) {
  if (!has_dpkg()) GTEST_SKIP() << "not a dpkg host";
  build("--disable-new-dtags");
  std::string store = dir_ / "store", glibc = store + "/0000-glibc/lib";
  fs::make_directories(glibc);
  fs::make_directories(store + "/1111-main/bin");
  auto shell = read_elf(fs::real_path("/bin/sh"));
  ASSERT_TRUE(shell);
  std::string loader = glibc + "/" + fs::basename(shell->interpreter);
  std::filesystem::copy_file(fs::real_path(shell->interpreter), loader);
  std::filesystem::copy_file(
      fs::real_path("/usr/lib/" + multiarch_triplet(shell->machine, shell->elf_class) +
                    "/libc.so.6"),
      glibc + "/libc.so.6");
  std::string program = store + "/1111-main/bin/main";
  compile({"-o", program, dir_ / "src/main.c", "-L" + dir_ / "lib", "-lgreet",
           "-Wl,-rpath," + dir_ / "lib", "-Wl,--disable-new-dtags",
           "-Wl,--dynamic-linker=" + loader});
  ::symlink(program.c_str(), (dir_ / "bin/linked").c_str());
  ClosureOptions options;
  options.nix_store = store;
  HostClosure closure = host_closure({dir_ / "bin/linked"}, {}, options);
  EXPECT_TRUE(find(closure, dir_ / "bin/linked"));
  EXPECT_TRUE(find(closure, dir_ / "lib/libgreet.so"));
  EXPECT_TRUE(find(closure, dir_ / "lib/libbase.so"));
  EXPECT_FALSE(any_under(closure, store));
  EXPECT_FALSE(has_package(closure, "libc6")) << "libc is the store's";
  // Without its libc in the store, the store's loader finds none: neither do we.
  ::unlink((glibc + "/libc.so.6").c_str());
  EXPECT_ERROR_CONTAINS(host_closure({program}, {}, options),
                        "library libc.so.6, needed by " + program);
}

// A program of the other word size gets that size's loader and libc.
TEST_F(Compiled, ThirtyTwoBitProgramsGetThirtyTwoBitLibraries) {
  if (!is_file("/usr/lib32/libc.so.6") || !fs::exists("/lib/ld-linux.so.2"))
    GTEST_SKIP() << "no biarch 32-bit libc";
  // No 32-bit C runtime is needed for a program that only calls exit().
  fs::write_file_atomic(dir_ / "src/start.c", "void exit(int);\nvoid _start(void) { exit(0); }\n");
  RunResult built =
      run({cc_, "-m32", "-nostdlib", "-fno-pie", "-no-pie", "-o", dir_ / "bin/m32",
           dir_ / "src/start.c", "/usr/lib32/libc.so.6", "-Wl,--dynamic-linker=/lib/ld-linux.so.2"},
          capturing());
  if (!built.ok()) GTEST_SKIP() << "cc cannot link 32-bit programs: " << built.err;
  auto info = read_elf(dir_ / "bin/m32");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->elf_class, 32);
  EXPECT_EQ(info->interpreter, "/lib/ld-linux.so.2");
  if (!has_dpkg()) GTEST_SKIP() << "not a dpkg host";
  HostClosure closure = host_closure({dir_ / "bin/m32"}, {});
  EXPECT_TRUE(find(closure, fs::real_path("/usr/lib32/libc.so.6")));
  EXPECT_TRUE(find(closure, fs::real_path("/lib/ld-linux.so.2")));
  EXPECT_TRUE(find(closure, "/usr/lib/ld-linux.so.2")) << "the interpreter's link";
  EXPECT_TRUE(closure.cache_only_library_dirs.empty()) << "/usr/lib32 is the loader's own";
}

// A library only an /etc/ld.so.conf directory holds needs /etc/ld.so.cache.
TEST_F(Compiled, LibrariesOnlyTheCacheFindsAreReported) {
  std::string dir = "/usr/lib/" + multiarch_triplet(EM_X86_64, 64) + "/libfakeroot";
  if (!is_file(dir + "/libfakeroot-sysv.so") || !has_dpkg()) GTEST_SKIP() << "no libfakeroot";
  compile({"-o", dir_ / "bin/faked", dir_ / "src/main.c", dir_ / "src/greet.c", dir_ / "src/base.c",
           "-Wl,--no-as-needed", "-L" + dir, "-lfakeroot-sysv"});
  HostClosure closure = host_closure({dir_ / "bin/faked"}, {});
  EXPECT_EQ(closure.cache_only_library_dirs, std::vector<std::string>{dir});
  EXPECT_TRUE(has_package(closure, "libfakeroot"));
}

// ---- dpkg's database ---------------------------------------------------

TEST(DpkgStatus, InstalledStanzasWithTheirRelations) {
  auto records = parse_status(
      "Package: a\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1\n"
      "Depends: b (>= 1) | c:any, d:amd64\n  , e\nPre-Depends: f\nProvides: v (= 1)\n"
      "Description: text\n with: colons\n\n"
      "Package: gone\nStatus: deinstall ok config-files\n\n"
      "Package: held\nStatus: hold ok installed\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].name, "a");
  EXPECT_EQ(records[0].architecture, "amd64");
  EXPECT_EQ(parse_relation(records[0].depends), (Groups{{"b", "c"}, {"d"}, {"e"}}));
  EXPECT_EQ(parse_relation(records[0].pre_depends), (Groups{{"f"}}));
  EXPECT_EQ(parse_relation(records[0].provides), (Groups{{"v"}}));
  EXPECT_EQ(records[1].name, "held");
  EXPECT_TRUE(parse_relation("").empty());
  EXPECT_EQ(parse_relation("x [amd64] <!nocheck> |y"), (Groups{{"x", "y"}}));
}

TEST(DpkgStatus, DiversionsAndListFiles) {
  auto diversions = compat::parse_diversions("/bin/sh\n/bin/sh.distrib\ndash\n/x\n/y\n:\n/trunc\n");
  ASSERT_EQ(diversions.size(), 2u);
  EXPECT_EQ(diversions[0].to, "/bin/sh.distrib");
  EXPECT_EQ(diversions[1].package, ":");
  testing::TempDir dir;
  fs::write_file_atomic(dir / "plain.list", "/.\n/usr/bin/plain\n");
  fs::write_file_atomic(dir / "multi:amd64.list", "/usr/lib/x\n");
  fs::write_file_atomic(dir / "multi:i386.list", "/usr/lib/y\n");
  fs::write_file_atomic(dir / "plain.md5sums", "");
  auto lists = compat::package_list_files(dir.path());
  EXPECT_EQ(lists.size(), 2u);
  EXPECT_EQ(lists["multi"].size(), 2u);
}

// ---- the closure of real executables -----------------------------------

class HostClosureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!has_dpkg()) GTEST_SKIP() << "not a merged-/usr dpkg host";
  }
};

// Sorted, unique, canonical, every directory above present, every link's
// file target present.
void expect_well_formed(const HostClosure& closure) {
  for (size_t i = 1; i < closure.files.size(); ++i)
    EXPECT_LT(closure.files[i - 1].path, closure.files[i].path);
  for (const auto& file : closure.files) {
    for (const char* alias : {"/bin/", "/sbin/", "/lib/", "/lib64/"})
      EXPECT_NE(file.path.rfind(alias, 0), 0u) << file.path;
    std::string parent = fs::dirname(file.path);
    if (parent != "/") {
      const HostFile* dir = find(closure, parent);
      EXPECT_TRUE(dir && dir->kind == HostFile::Directory) << file.path;
    }
    if (file.kind != HostFile::Symlink || file.path.rfind("/etc/ld.so.conf", 0) == 0) continue;
    std::error_code error;
    std::string resolved = std::filesystem::canonical(file.path, error).string();
    if (!error && is_file(resolved) && resolved.rfind("/nix/store/", 0) != 0) {
      EXPECT_TRUE(find(closure, resolved)) << file.path << " -> " << resolved;
    }
  }
  for (const char* path : {"/usr/share/doc", "/usr/share/doc-base", "/usr/share/man",
                           "/usr/share/info", "/usr/share/lintian", "/usr/share/bug"})
    EXPECT_FALSE(any_under(closure, path)) << path;
}

TEST_F(HostClosureTest, ShellHasItsLoaderLibcAndTheMergedUsrLinks) {
  HostClosure closure = host_closure({"/bin/sh"}, {});
  expect_well_formed(closure);
  const HostFile* bin = find(closure, "/bin");
  ASSERT_TRUE(bin);
  EXPECT_EQ(bin->kind, HostFile::Symlink);
  EXPECT_EQ(bin->target, "usr/bin");
  for (const char* path : {"/lib", "/lib64", "/sbin", "/etc/ld.so.conf"})
    EXPECT_TRUE(find(closure, path)) << path;
  std::string sh = fs::real_path("/bin/sh");
  EXPECT_TRUE(find(closure, sh)) << sh;
  EXPECT_TRUE(find(closure, "/usr/bin/sh"));
  auto shell = read_elf(sh);
  ASSERT_TRUE(shell);
  std::string loader = fs::real_path(shell->interpreter);
  EXPECT_TRUE(find(closure, loader)) << loader;
  std::string libc = fs::real_path(
      "/usr/lib/" + multiarch_triplet(shell->machine, shell->elf_class) + "/libc.so.6");
  EXPECT_TRUE(find(closure, libc)) << libc;
  EXPECT_TRUE(has_package(closure, "libc6"));
  EXPECT_FALSE(find(closure, "/etc/ld.so.cache"))
      << "the loader finds multiarch libraries without it";
  EXPECT_TRUE(closure.cache_only_library_dirs.empty());
}

TEST_F(HostClosureTest, ManualPagesAndTranslationsOnRequest) {
  HostClosure plain = host_closure({}, {"coreutils"});
  EXPECT_FALSE(any_under(plain, "/usr/share/man"));
  ClosureOptions more;
  more.manpages = more.translations = true;
  HostClosure with = host_closure({}, {"coreutils"}, more);
  EXPECT_TRUE(any_under(with, "/usr/share/man/man1"));
  EXPECT_EQ(has_package(with, "man-db"), installed("man-db"));
  if (any_under(with, "/usr/share/locale/de")) {
    EXPECT_FALSE(any_under(plain, "/usr/share/locale/de"));
    EXPECT_EQ(any_under(plain, "/usr/share/locale/locale.alias"),
              any_under(with, "/usr/share/locale/locale.alias"));
  }
  ClosureOptions no_etc;
  no_etc.exclude_prefixes = {"/etc/"};
  HostClosure without = host_closure({"/bin/sh"}, {}, no_etc);
  EXPECT_FALSE(any_under(without, "/etc/"));
  EXPECT_TRUE(find(without, "/bin"));
}

TEST_F(HostClosureTest, SupervisordBringsPythonAndItsModules) {
  if (!is_file("/usr/bin/supervisord")) GTEST_SKIP() << "supervisor is not installed";
  HostClosure closure = host_closure({"/usr/bin/supervisord"}, {});
  expect_well_formed(closure);
  EXPECT_TRUE(has_package(closure, "supervisor"));
  EXPECT_TRUE(has_package(closure, "python3-pkg-resources"));
  std::string python = fs::real_path("/usr/bin/python3");
  const HostFile* interpreter = find(closure, python);
  ASSERT_TRUE(interpreter) << python;
  EXPECT_EQ(interpreter->kind, HostFile::File);
  EXPECT_TRUE(find(closure, "/usr/bin/python3"));
  EXPECT_TRUE(any_under(closure, "/usr/lib/python3/dist-packages/supervisor/"));
  EXPECT_TRUE(any_under(closure, "/usr/lib/python3/dist-packages/pkg_resources/"));
  EXPECT_GT(total_size(closure), 10u << 20);
  // The modules py3compile compiled at install time come along.
  std::string compiled = "/usr/lib/python3/dist-packages/supervisor/__pycache__";
  if (fs::is_directory(compiled)) {
    EXPECT_TRUE(any_under(closure, compiled));
    ClosureOptions source_only;
    source_only.python_bytecode = false;
    EXPECT_FALSE(any_under(host_closure({"/usr/bin/supervisord"}, {}, source_only), compiled));
  }
}

TEST_F(HostClosureTest, AwkKeepsTheAlternativesChain) {
  if (!fs::is_symlink("/usr/bin/awk") || !fs::is_symlink("/etc/alternatives/awk"))
    GTEST_SKIP() << "awk is not an alternative here";
  HostClosure closure = host_closure({"/usr/bin/awk"}, {});
  expect_well_formed(closure);
  const HostFile* awk = find(closure, "/usr/bin/awk");
  ASSERT_TRUE(awk);
  EXPECT_EQ(awk->kind, HostFile::Symlink);
  EXPECT_EQ(awk->target, fs::read_link("/usr/bin/awk"));
  const HostFile* alternative = find(closure, "/etc/alternatives/awk");
  ASSERT_TRUE(alternative);
  EXPECT_EQ(alternative->target, fs::read_link("/etc/alternatives/awk"));
  EXPECT_TRUE(find(closure, fs::real_path("/usr/bin/awk")));
  // The package of the choice alone brings the alternative's links too.
  std::string choice = fs::real_path("/usr/bin/awk");
  HostClosure package = host_closure({}, {fs::basename(choice)});
  EXPECT_TRUE(find(package, "/usr/bin/awk"));
  EXPECT_TRUE(find(package, "/etc/alternatives/awk"));
  EXPECT_FALSE(find(package, "/etc/alternatives/awk.1.gz")) << "manual pages are left out";
}

TEST_F(HostClosureTest, BinaryOutsideDpkgBringsItsLibraries) {
  testing::TempDir dir;
  std::filesystem::copy_file(fs::real_path("/bin/true"), dir / "true");
  ::chmod((dir / "true").c_str(), 0755);
  ::symlink("true", (dir / "alias").c_str());
  HostClosure closure = host_closure({dir / "alias"}, {});
  expect_well_formed(closure);
  const HostFile* copy = find(closure, dir / "true");
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->kind, HostFile::File);
  EXPECT_EQ(copy->size, fs::read_file(dir / "true").size());
  EXPECT_TRUE(find(closure, dir / "alias"));
  EXPECT_TRUE(has_package(closure, "libc6"));
  EXPECT_FALSE(has_package(closure, "coreutils"));
}

TEST_F(HostClosureTest, ScriptsBringTheirInterpreterThroughEnv) {
  testing::TempDir dir;
  fs::write_file_atomic(dir / "direct", "#!/bin/sh -e\necho hi\n", 0755);
  fs::write_file_atomic(dir / "via-env", "#!/usr/bin/env -S VAR=1 dash -e\necho hi\n", 0755);
  HostClosure closure = host_closure({dir / "direct", dir / "via-env"}, {});
  EXPECT_TRUE(find(closure, dir / "direct"));
  EXPECT_TRUE(has_package(closure, "dash"));
  EXPECT_TRUE(has_package(closure, "coreutils")) << "env is coreutils'";
  fs::write_file_atomic(dir / "lost", "#!/usr/bin/env no-such-interpreter-here\n", 0755);
  EXPECT_ERROR_CONTAINS(host_closure({dir / "lost"}, {}),
                        "no-such-interpreter-here is not on the PATH");
  fs::write_file_atomic(dir / "missing", "#!/no/such/shell\n", 0755);
  EXPECT_ERROR_CONTAINS(host_closure({dir / "missing"}, {}),
                        "interpreter /no/such/shell of " + dir / "missing" + " does not exist");
}

TEST_F(HostClosureTest, PackagesBringTheirDependencies) {
  HostClosure closure = host_closure({}, {"coreutils:amd64", "bash"});
  expect_well_formed(closure);
  EXPECT_TRUE(has_package(closure, "coreutils"));
  EXPECT_TRUE(has_package(closure, "libc6"));
  EXPECT_TRUE(find(closure, "/usr/bin/bash"));
  EXPECT_TRUE(find(closure, "/usr/bin/ls"));
}

TEST_F(HostClosureTest, UnresolvableInputIsAnErrorNamingIt) {
  EXPECT_ERROR_CONTAINS(host_closure({}, {"nixproc-no-such-package"}),
                        "package nixproc-no-such-package is not installed: apt-get install "
                        "nixproc-no-such-package");
  EXPECT_ERROR_CONTAINS(host_closure({"/usr/bin/nixproc-no-such-program"}, {}),
                        "executable /usr/bin/nixproc-no-such-program does not exist");
  EXPECT_ERROR_CONTAINS(host_closure({"bin/sh"}, {}), "bin/sh is not an absolute path");
  EXPECT_ERROR_CONTAINS(host_closure({"/usr/bin"}, {}), "is not a regular file");
}

// A package's file that another package diverted is at the diverted name.
TEST_F(HostClosureTest, DivertedFilesAreAtTheirNewName) {
  std::map<std::string, std::string> lists;  // package -> its lists' text
  for (const auto& [name, files] : compat::package_list_files())
    for (const auto& list : files) lists[name] += "\n" + fs::read_file(list);
  for (const auto& diversion : compat::read_diversions()) {
    if (diversion.package == ":" || !is_file(diversion.to) || fs::is_symlink(diversion.to))
      continue;
    std::string owner;
    for (const auto& [name, text] : lists)
      if (name != diversion.package && text.find("\n" + diversion.from + "\n") != std::string::npos)
        owner = name;
    if (owner.empty() || !installed(owner)) continue;
    HostClosure closure = host_closure({}, {owner});
    if (has_package(closure, diversion.package)) continue;
    EXPECT_TRUE(find(closure, diversion.to)) << owner << " " << diversion.to;
    EXPECT_FALSE(find(closure, diversion.from)) << owner << " " << diversion.from;
    return;
  }
  GTEST_SKIP() << "no diversion of another package's regular file here";
}

// Copies the closure into an empty root, as an image would hold it.
void copy_closure(const HostClosure& closure, const std::string& root) {
  for (const auto& file : closure.files) {
    std::string target = root + file.path;
    if (file.kind == HostFile::Directory) {
      ASSERT_TRUE(::mkdir(target.c_str(), 0755) == 0 || errno == EEXIST) << target;
    } else if (file.kind == HostFile::Symlink) {
      ASSERT_EQ(::symlink(file.target.c_str(), target.c_str()), 0) << target;
    } else {
      std::filesystem::copy_file(file.path, target);
    }
  }
}

// The strongest check: the programs run in a root holding only their closure.
TEST_F(HostClosureTest, ProgramsRunInARootOfTheirClosureOnly) {
  if (::geteuid() != 0) GTEST_SKIP() << "chroot needs root";
  std::string chroot = find_executable("chroot");
  if (chroot.empty()) GTEST_SKIP() << "no chroot";
  std::vector<std::string> programs = {"/bin/sh"};
  for (const char* program : {"/usr/bin/supervisord", "/usr/sbin/nginx"})
    if (is_file(program)) programs.push_back(program);
  HostClosure closure = host_closure(programs, {});
  testing::TempDir root;
  copy_closure(closure, root.path());
  ASSERT_FALSE(fs::exists(root / "etc/ld.so.cache"));
  SpawnOptions options = capturing();
  options.environment = {"PATH=/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE=1"};
  options.replace_environment = true;
  options.timeout_seconds = 60;
  auto in_root = [&](std::vector<std::string> argv) {
    argv.insert(argv.begin(), {chroot, root.path()});
    return run(argv, options);
  };
  RunResult sh = in_root({"/bin/sh", "-c", "echo ok"});
  EXPECT_TRUE(sh.ok()) << sh.describe() << sh.err;
  EXPECT_EQ(sh.out, "ok\n");
  if (is_file("/usr/bin/supervisord")) {
    RunResult supervisord = in_root({"/usr/bin/supervisord", "--version"});
    EXPECT_TRUE(supervisord.ok()) << supervisord.describe() << supervisord.err;
    EXPECT_FALSE(supervisord.out.empty());
  }
  if (is_file("/usr/sbin/nginx")) {
    RunResult nginx = in_root({"/usr/sbin/nginx", "-v"});
    EXPECT_TRUE(nginx.ok()) << nginx.describe() << nginx.err;
    EXPECT_NE(nginx.err.find("nginx version"), std::string::npos) << nginx.err;
  }
  // And nothing else came along: a host program outside the closure is absent.
  for (const char* other : {"/usr/bin/ls", "/usr/bin/dpkg", "/usr/bin/apt"})
    if (is_file(other) && !find(closure, other)) {
      EXPECT_FALSE(in_root({other}).ok()) << other;
      break;
    }
}

}  // namespace
}  // namespace nixproc::image
