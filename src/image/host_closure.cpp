#include "image/host_closure.h"

#include <elf.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "compat/dpkg.h"
#include "image/elf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace nixproc::image {

namespace {

constexpr const char* kLdSoConf = "/etc/ld.so.conf";
constexpr const char* kLdSoConfDir = "/etc/ld.so.conf.d";
constexpr const char* kAlternativesDb = "/var/lib/dpkg/alternatives";
constexpr const char* kAlternativesDir = "/etc/alternatives";
// Linux gives up after 4 nested interpreters; more means a loop.
constexpr int kMaxInterpreterDepth = 8;
constexpr int kMaxSymlinks = 40;  // as the kernel's path walk

bool has_prefix(const std::string& path, const std::string& prefix) {
  if (prefix == "/") return true;
  return path.compare(0, prefix.size(), prefix) == 0 &&
         (path.size() == prefix.size() || path[prefix.size()] == '/');
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : separator) + part;
  return text;
}

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

// ---- merged /usr --------------------------------------------------------

// Top-level names that are links into /usr on this host (bin -> usr/bin).
struct UsrMerge {
  std::vector<std::string> aliases;  // "bin", "lib", ...
};

UsrMerge detect_usr_merge() {
  UsrMerge merge;
  for (const char* name : {"bin", "sbin", "lib", "lib32", "lib64", "libx32", "libo32"}) {
    std::string link = std::string("/") + name;
    if (!fs::is_symlink(link)) continue;
    std::string target = fs::read_link(link);
    if (target == std::string("usr/") + name || target == std::string("/usr/") + name)
      merge.aliases.push_back(name);
  }
  return merge;
}

// dpkg's name of a file ("/bin/sh", "/.") to its path on this host.
std::string canonical(const UsrMerge& merge, const std::string& path) {
  if (path == "/." || path.empty()) return "/";
  for (const auto& alias : merge.aliases)
    if (has_prefix(path, "/" + alias)) return "/usr" + path;
  return path;
}

// ---- dpkg's database, read once -----------------------------------------

// The file lists stay as read and the owner index points into them, so
// indexing all of them allocates nothing per file; hence no copies or moves.
struct Dpkg {
  Dpkg() = default;
  Dpkg(const Dpkg&) = delete;
  Dpkg& operator=(const Dpkg&) = delete;

  std::map<std::string, compat::PackageRecord> packages;      // by name (archs merged)
  std::map<std::string, std::vector<std::string>> providers;  // virtual name -> packages
  std::vector<std::string> names;                             // package id -> name
  std::vector<std::string> lists;                             // package id -> its lists' text
  std::unordered_map<std::string, uint32_t> ids;              // name -> package id
  // By the diverted path, canonical and in its merged-usr alias forms.
  std::map<std::string, compat::Diversion, std::less<>> diversions;
  std::unordered_map<std::string_view, uint32_t> owner;  // path as dpkg lists it -> id
};

template <class F>
void for_each_line(std::string_view text, F f) {
  while (!text.empty()) {
    size_t end = text.find('\n');
    if (end != 0) f(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
}

// The forms dpkg may name a canonical path by: itself and /bin/x for /usr/bin/x.
std::vector<std::string> dpkg_names(const UsrMerge& merge, const std::string& path) {
  std::vector<std::string> names = {path};
  for (const auto& alias : merge.aliases)
    if (has_prefix(path, "/usr/" + alias)) names.push_back(path.substr(4));
  return names;
}

// Records of one name for several architectures become one package whose
// relations are all of theirs.
void add_record(Dpkg& dpkg, compat::PackageRecord record) {
  auto [it, fresh] = dpkg.packages.emplace(record.name, record);
  if (fresh) return;
  it->second.depends += ", " + record.depends;
  it->second.pre_depends += ", " + record.pre_depends;
  it->second.provides += ", " + record.provides;
}

void load_diversions(Dpkg& dpkg, const UsrMerge& merge) {
  for (auto diversion : compat::read_diversions()) {
    diversion.from = canonical(merge, diversion.from);
    diversion.to = canonical(merge, diversion.to);
    for (const auto& name : dpkg_names(merge, diversion.from)) dpkg.diversions[name] = diversion;
  }
}

// Where a package's listed file is: another package's diversion moves it.
// The view points into the list text or into the diversion table.
std::string_view placed_entry(const Dpkg& dpkg, const std::string& package,
                              std::string_view entry) {
  auto diversion = dpkg.diversions.find(entry);
  if (diversion == dpkg.diversions.end() || diversion->second.package == package) return entry;
  return diversion->second.to;
}

void load_lists(Dpkg& dpkg) {
  size_t bytes = 0;
  for (const auto& [name, lists] : compat::package_list_files()) {
    if (!dpkg.packages.count(name)) continue;  // removed, config files left
    std::string text;
    for (const auto& list : lists) text += fs::read_file(list) + "\n";
    bytes += text.size();
    dpkg.ids[name] = static_cast<uint32_t>(dpkg.names.size());
    dpkg.names.push_back(name);
    dpkg.lists.push_back(std::move(text));
  }
  dpkg.owner.reserve(bytes / 32);
  for (uint32_t id = 0; id < dpkg.names.size(); ++id)
    for_each_line(dpkg.lists[id], [&](std::string_view entry) {
      dpkg.owner.emplace(placed_entry(dpkg, dpkg.names[id], entry), id);
    });
}

void load_dpkg(Dpkg& dpkg, const UsrMerge& merge) {
  if (!fs::exists(compat::kDpkgStatus))
    throw Error(std::string("no dpkg database (") + compat::kDpkgStatus +
                "): the host closure of an image needs Debian's package lists");
  for (auto& record : compat::read_status()) add_record(dpkg, std::move(record));
  for (const auto& [name, record] : dpkg.packages)
    for (const auto& group : compat::parse_relation(record.provides))
      for (const auto& provided : group) dpkg.providers[provided].push_back(name);
  load_diversions(dpkg, merge);
  load_lists(dpkg);
}

// The package listing the file or link at canonical `path`, or nullptr.
const std::string* owner_of(const Dpkg& dpkg, const UsrMerge& merge, const std::string& path) {
  for (const auto& name : dpkg_names(merge, path)) {
    auto owner = dpkg.owner.find(name);
    if (owner != dpkg.owner.end()) return &dpkg.names[owner->second];
  }
  return nullptr;
}

// The installed package that is `name` or provides it; "" when none.
std::string installed_as(const Dpkg& dpkg, const std::string& name) {
  if (dpkg.packages.count(name)) return name;
  auto providers = dpkg.providers.find(name);
  return providers == dpkg.providers.end() ? "" : providers->second.front();
}

// ---- the dynamic loader's configuration ---------------------------------

struct LdConf {
  std::vector<std::string> dirs;   // in order, canonical
  std::vector<std::string> files;  // the configuration files read
};

void parse_ld_conf(const UsrMerge& merge, const std::string& file, int depth, LdConf& conf);

void include_ld_conf(const UsrMerge& merge, const std::string& from, std::string pattern, int depth,
                     LdConf& conf) {
  if (pattern[0] != '/') pattern = parent_of(from) + "/" + pattern;
  glob_t matches;
  if (::glob(pattern.c_str(), 0, nullptr, &matches) == 0)
    for (size_t i = 0; i < matches.gl_pathc; ++i)
      parse_ld_conf(merge, matches.gl_pathv[i], depth + 1, conf);
  ::globfree(&matches);
}

// ldconfig's format: one directory a line, `include PATTERN...`, `#` comments.
void parse_ld_conf(const UsrMerge& merge, const std::string& file, int depth, LdConf& conf) {
  if (depth > 8 || !fs::exists(file)) return;
  conf.files.push_back(file);
  std::istringstream lines(fs::read_file(file));
  for (std::string line; std::getline(lines, line);) {
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::string word;
    if (!(words >> word)) continue;
    if (word == "include") {
      while (words >> word) include_ld_conf(merge, file, word, depth, conf);
    } else if (word != "hwcap") {
      while (word.size() > 1 && word.back() == '/') word.pop_back();
      conf.dirs.push_back(canonical(merge, word));
    }
  }
}

// ---- following paths ----------------------------------------------------

// A path walked component by component as the kernel does, with every
// symlink met on the way; `path` has no symlink left in it.
struct Walk {
  std::string path;
  std::vector<HostFile> links;
  bool exists = true;
};

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> parts;
  std::istringstream stream(path);
  for (std::string part; std::getline(stream, part, '/');)
    if (!part.empty() && part != ".") parts.push_back(part);
  return parts;
}

Walk walk_path(const std::string& path) {
  Walk walk;
  std::deque<std::string> todo;
  for (auto& part : components(path)) todo.push_back(part);
  std::string done;  // "" is the root
  int followed = 0;
  while (!todo.empty()) {
    std::string part = todo.front();
    todo.pop_front();
    if (part == "..") {
      done = done.empty() ? "" : parent_of(done) == "/" ? "" : parent_of(done);
      continue;
    }
    std::string next = done + "/" + part;
    struct stat st;
    if (::lstat(next.c_str(), &st) != 0) {
      walk.exists = false;
      done = next;
      for (const auto& rest : todo) done += "/" + rest;
      break;
    }
    if (!S_ISLNK(st.st_mode)) {
      done = next;
      continue;
    }
    if (++followed > kMaxSymlinks) throw Error("too many levels of symbolic links in " + path);
    std::string target = fs::read_link(next);
    walk.links.push_back({next, HostFile::Symlink, target, 0});
    auto parts = components(target);
    todo.insert(todo.begin(), parts.begin(), parts.end());
    if (!target.empty() && target[0] == '/') done.clear();
  }
  walk.path = done.empty() ? "/" : done;
  return walk;
}

// ---- the closure under construction -------------------------------------

struct Builder {
  ClosureOptions options;
  UsrMerge merge;
  Dpkg dpkg;
  LdConf ld_conf;
  std::vector<std::string> excluded;         // canonical prefixes
  std::map<std::string, HostFile> files;     // by path
  std::set<std::string> wanted;              // packages, before their dependencies
  std::set<std::string> programs;            // executables already looked into
  std::map<std::string, ElfInfo> elf_cache;  // by path
  std::set<std::string> cache_only_dirs;
  std::unordered_map<std::string, std::optional<std::string>> physical_dirs;
};

bool in_nix_store(const Builder& builder, const std::string& path) {
  return !builder.options.nix_store.empty() && has_prefix(path, builder.options.nix_store);
}

bool is_excluded(const Builder& builder, const std::string& path) {
  for (const auto& prefix : builder.excluded)
    if (has_prefix(path, prefix)) return true;
  // Translations go, the alias table glibc's setlocale reads stays.
  return !builder.options.translations && has_prefix(path, "/usr/share/locale") &&
         path != "/usr/share/locale" && path != "/usr/share/locale/locale.alias";
}

void add_entry(Builder& builder, HostFile file) {
  if (in_nix_store(builder, file.path) || is_excluded(builder, file.path) || file.path == "/")
    return;
  builder.files.emplace(file.path, std::move(file));
}

// A file as it is on the host now (lstat); nothing when gone or special.
std::optional<HostFile> host_file(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  if (S_ISDIR(st.st_mode)) return HostFile{path, HostFile::Directory, "", 0};
  if (S_ISREG(st.st_mode))
    return HostFile{path, HostFile::File, "", static_cast<uint64_t>(st.st_size)};
  if (S_ISLNK(st.st_mode)) return HostFile{path, HostFile::Symlink, fs::read_link(path), 0};
  return std::nullopt;  // devices, FIFOs, sockets: never part of an image
}

bool is_top_level_alias(const Builder& builder, const std::string& path) {
  for (const auto& alias : builder.merge.aliases)
    if (path == "/" + alias) return true;
  return false;
}

// Wants the package owning `path` (a host path of a file or link); false
// when no package owns it.
bool want_owner(Builder& builder, const std::string& path) {
  if (is_top_level_alias(builder, path)) return false;
  const std::string* owner = owner_of(builder.dpkg, builder.merge, path);
  if (owner) builder.wanted.insert(*owner);
  return owner != nullptr;
}

// The links of a walk and its end: each owned one brings its package, the
// others are taken as they are. Nix store paths are the Nix closure's.
void add_walked(Builder& builder, const Walk& walk) {
  for (const auto& link : walk.links) {
    want_owner(builder, link.path);
    add_entry(builder, link);
  }
  if (!walk.exists || in_nix_store(builder, walk.path) || want_owner(builder, walk.path)) return;
  if (auto file = host_file(walk.path)) add_entry(builder, *file);
}

// ---- ELF dependencies ---------------------------------------------------

const ElfInfo& elf_of(Builder& builder, const std::string& path) {
  auto cached = builder.elf_cache.find(path);
  if (cached != builder.elf_cache.end()) return cached->second;
  std::optional<ElfInfo> info = read_elf(path);
  if (!info) throw Error(path + " is not an ELF file");
  return builder.elf_cache.emplace(path, std::move(*info)).first->second;
}

// How the program's loader searches: its built-in directories, and whether
// it reads /etc/ld.so.cache (Nix's glibc does not read the host's).
struct Loader {
  std::vector<std::string> system_dirs;
  bool uses_cache = true;
};

void add_unique(std::vector<std::string>& list, const std::string& item) {
  for (const auto& existing : list)
    if (existing == item) return;
  list.push_back(item);
}

// glibc's built-in path is its own directory (slibdir: /lib/x86_64-linux-gnu,
// /lib32 for the biarch loader), the /usr twin of it, then /lib and /usr/lib.
Loader loader_of(const Builder& builder, const ElfInfo& program, const std::string& interpreter) {
  Loader loader;
  std::string slibdir;
  if (!interpreter.empty()) {
    slibdir = parent_of(walk_path(interpreter).path);
    loader.uses_cache = !in_nix_store(builder, slibdir);
  } else if (std::string triplet = multiarch_triplet(program.machine, program.elf_class);
             !triplet.empty()) {
    slibdir = "/usr/lib/" + triplet;
  }
  if (!slibdir.empty()) add_unique(loader.system_dirs, slibdir);
  if (loader.uses_cache)
    for (const char* dir : {"/lib", "/usr/lib"})
      add_unique(loader.system_dirs, canonical(builder.merge, dir));
  return loader;
}

// ld.so's dynamic string tokens, replaced in one pass (a value holding
// "$ORIGIN" is not expanded again).
std::string expand_tokens(const std::string& dir, const std::string& origin,
                          const ElfInfo& program) {
  std::string triplet = multiarch_triplet(program.machine, program.elf_class);
  std::string platform = triplet.substr(0, triplet.find('-'));
  if (platform == "i386") platform = "i686";
  const std::pair<std::string, std::string> tokens[] = {
      {"${ORIGIN}", origin},      {"$ORIGIN", origin},       {"${LIB}", "lib/" + triplet},
      {"$LIB", "lib/" + triplet}, {"${PLATFORM}", platform}, {"$PLATFORM", platform}};
  std::string result;
  for (size_t at = 0; at < dir.size();) {
    bool replaced = false;
    for (const auto& [token, value] : tokens)
      if (dir.compare(at, token.size(), token) == 0) {
        result += value;
        at += token.size();
        replaced = true;
        break;
      }
    if (!replaced) result += dir[at++];
  }
  return result;
}

// One object in the loader's breadth-first walk.
struct Loaded {
  std::string path;  // as found: its directory is $ORIGIN (glibc does not resolve links)
  std::string file;  // where it is, for messages
  ElfInfo info;
  std::vector<std::string> rpath_chain;  // DT_RPATHs it and its loaders contribute
};

std::vector<std::string> expanded(const std::vector<std::string>& dirs, const std::string& path,
                                  const ElfInfo& program) {
  std::vector<std::string> result;
  for (const auto& dir : dirs) {
    std::string full = expand_tokens(dir, parent_of(path), program);
    if (!full.empty() && full[0] == '/') result.push_back(full);  // relative: the cwd's, skip
  }
  return result;
}

// The RPATHs searched for an object's needs: its own, then its loaders',
// each only while that object has no RUNPATH (glibc's rule).
std::vector<std::string> rpath_chain(const Loaded& object, const std::vector<std::string>& above,
                                     const ElfInfo& program) {
  std::vector<std::string> chain;
  if (object.info.runpath.empty()) chain = expanded(object.info.rpath, object.path, program);
  chain.insert(chain.end(), above.begin(), above.end());
  return chain;
}

// A library the loader would take for `program`: same class and machine.
bool fits(const std::string& candidate, const ElfInfo& program) {
  struct stat st;
  if (::stat(candidate.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  std::optional<ElfInfo> header = read_elf_header(candidate);
  return header && header->elf_class == program.elf_class && header->machine == program.machine &&
         header->type == ET_DYN;
}

struct Search {
  std::vector<std::string> dirs;
  std::set<std::string> cache_dirs;  // those only /etc/ld.so.cache tells the loader
};

Search search_dirs(const Builder& builder, const Loaded& object, const Loader& loader,
                   const ElfInfo& program) {
  Search search;
  if (object.info.runpath.empty()) search.dirs = object.rpath_chain;
  for (const auto& dir : expanded(object.info.runpath, object.path, program))
    search.dirs.push_back(dir);
  if (loader.uses_cache)
    for (const auto& dir : builder.ld_conf.dirs) {
      bool built_in = false;
      for (const auto& system : loader.system_dirs) built_in = built_in || system == dir;
      if (!built_in) search.cache_dirs.insert(dir);
      search.dirs.push_back(dir);
    }
  for (const auto& dir : loader.system_dirs) search.dirs.push_back(dir);
  return search;
}

// Finds `name` for `object`; notes a directory the loader knows only from
// the cache when the library is nowhere else it looks.
std::optional<std::string> find_library(Builder& builder, const Loaded& object,
                                        const std::string& name, const Loader& loader,
                                        const ElfInfo& program, std::vector<std::string>& tried) {
  if (name.find('/') != std::string::npos)
    return name[0] == '/' && fits(name, program) ? std::optional(name) : std::nullopt;
  Search search = search_dirs(builder, object, loader, program);
  tried = search.dirs;
  for (const auto& dir : search.dirs) {
    std::string candidate = dir + "/" + name;
    if (!fits(candidate, program)) continue;
    if (search.cache_dirs.count(dir)) {
      bool elsewhere = false;
      for (const auto& system : loader.system_dirs)
        elsewhere = elsewhere || fits(system + "/" + name, program);
      if (!elsewhere) builder.cache_only_dirs.insert(dir);
    }
    return candidate;
  }
  return std::nullopt;
}

void add_interpreter(Builder& builder, const std::string& program, const std::string& interpreter) {
  Walk walk = walk_path(interpreter);
  if (!walk.exists)
    throw Error("the ELF interpreter " + interpreter + " of " + program + " does not exist");
  add_walked(builder, walk);
}

// Everything the loader maps for `program`, breadth first as ld.so does; a
// name already loaded (or a library's soname) is not searched again.
void add_elf_closure(Builder& builder, const std::string& program_path) {
  const ElfInfo program = elf_of(builder, program_path);
  if (!program.interpreter.empty()) add_interpreter(builder, program_path, program.interpreter);
  Loader loader = loader_of(builder, program, program.interpreter);
  std::deque<Loaded> queue;
  Loaded main{program_path, program_path, program, {}};
  main.rpath_chain = rpath_chain(main, {}, program);
  queue.push_back(main);
  std::set<std::string> names, paths{program_path};
  while (!queue.empty()) {
    Loaded object = std::move(queue.front());
    queue.pop_front();
    for (const auto& name : object.info.needed) {
      if (!names.insert(name).second) continue;
      std::vector<std::string> tried;
      std::optional<std::string> found =
          find_library(builder, object, name, loader, program, tried);
      if (!found)
        throw Error("library " + name + ", needed by " + object.file +
                    (object.file == program_path ? "" : " (loaded for " + program_path + ")") +
                    ", is not found in " + (tried.empty() ? name : join(tried, ":")));
      Walk walk = walk_path(*found);
      add_walked(builder, walk);
      if (!paths.insert(walk.path).second) continue;
      Loaded library{*found, walk.path, elf_of(builder, walk.path), {}};
      if (!library.info.soname.empty()) names.insert(library.info.soname);
      library.rpath_chain = rpath_chain(library, object.rpath_chain, program);
      queue.push_back(std::move(library));
    }
  }
}

// ---- executables and their interpreters ---------------------------------

void add_executable(Builder& builder, const std::string& path, const std::string& script,
                    int depth);

// The first bytes of a file: enough for a #! line (the kernel reads 256).
std::string file_head(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw Error("cannot read " + path + ": " + fs::errno_text());
  char buffer[256];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  ::close(fd);
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
}

// A program `env` would run from its arguments ("-S python3 -u" -> python3).
std::string env_program(const std::string& arguments) {
  std::istringstream words(arguments);
  for (std::string word; words >> word;) {
    if (word == "-u" || word == "-C" || word == "--unset" || word == "--chdir") {
      words >> word;  // the option's argument
    } else if (word[0] != '-' && word.find('=') == std::string::npos) {
      return word;
    }
  }
  return "";
}

// Looks a bare name up on the PATH nixproc gives its processes.
std::string on_service_path(const std::string& name) {
  std::istringstream dirs(kServicePath);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = dir + "/" + name;
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return "";
}

void add_script_interpreter(Builder& builder, const std::string& script, const std::string& head,
                            int depth) {
  std::string line = head.substr(2, head.find('\n') - 2);
  size_t start = line.find_first_not_of(" \t");
  if (start == std::string::npos) throw Error(script + " has an empty #! line");
  size_t end = line.find_first_of(" \t", start);
  std::string interpreter = line.substr(start, end - start);
  std::string arguments = end == std::string::npos ? "" : line.substr(end);
  add_executable(builder, interpreter, script, depth + 1);
  if (fs::basename(interpreter) != "env") return;
  std::string program = env_program(arguments);
  if (program.empty()) return;
  std::string found = program.find('/') != std::string::npos ? program : on_service_path(program);
  if (found.empty())
    throw Error(script + " runs `env " + program + "`, and " + program + " is not on the PATH (" +
                kServicePath + ")");
  add_executable(builder, found, script, depth + 1);
}

// `script` is the one `path` interprets, "" for the executables asked for.
void add_executable(Builder& builder, const std::string& path, const std::string& script,
                    int depth) {
  std::string what =
      script.empty() ? "executable " + path : "interpreter " + path + " of " + script;
  if (depth > kMaxInterpreterDepth) throw Error("too many nested #! interpreters at " + what);
  if (path.empty() || path[0] != '/') throw Error(what + " is not an absolute path");
  Walk walk = walk_path(path);
  if (!walk.exists) throw Error(what + " does not exist");
  struct stat st;
  if (::stat(walk.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw Error(what + " is not a regular file");
  add_walked(builder, walk);
  if (!builder.programs.insert(walk.path).second) return;
  std::string head = file_head(walk.path);
  if (head.rfind("#!", 0) == 0)
    add_script_interpreter(builder, walk.path, head, depth);
  else if (has_elf_magic(head))
    add_elf_closure(builder, walk.path);
}

// An error deep in a chain (a link's interpreter's library) names the
// executable that was asked for too.
void add_asked_executable(Builder& builder, const std::string& executable) {
  try {
    add_executable(builder, executable, "", 0);
  } catch (const Error& error) {
    std::string message = error.what();
    if (message.find(executable) != std::string::npos) throw;
    throw Error(message + " (for executable " + executable + ")");
  }
}

// ---- packages -------------------------------------------------------------

void want_named_package(Builder& builder, std::string name) {
  if (auto colon = name.find(':'); colon != std::string::npos) name.erase(colon);
  std::string installed = installed_as(builder.dpkg, name);
  if (installed.empty())
    throw Error("package " + name + " is not installed: apt-get install " + name);
  builder.wanted.insert(installed);
}

// The first alternative of a dependency that is installed, itself or through
// a package providing it.
std::string satisfy(const Dpkg& dpkg, const std::string& package,
                    const std::vector<std::string>& alternatives) {
  for (const auto& name : alternatives)
    if (dpkg.packages.count(name)) return name;
  for (const auto& name : alternatives)
    if (std::string provider = installed_as(dpkg, name); !provider.empty()) return provider;
  throw Error("package " + package + " depends on " + join(alternatives, " | ") +
              ", and none of it is installed: apt-get install " + alternatives.front());
}

std::set<std::string> with_dependencies(const Builder& builder) {
  std::set<std::string> done;
  std::vector<std::string> todo(builder.wanted.begin(), builder.wanted.end());
  while (!todo.empty()) {
    std::string package = todo.back();
    todo.pop_back();
    if (!done.insert(package).second) continue;
    const auto& record = builder.dpkg.packages.at(package);
    for (const auto* field : {&record.pre_depends, &record.depends})
      for (const auto& group : compat::parse_relation(*field))
        todo.push_back(satisfy(builder.dpkg, package, group));
  }
  return done;
}

// The directory as it is on the host, through any symlink above it (the
// links become entries); nullopt when it does not exist.
std::optional<std::string> physical_dir(Builder& builder, const std::string& dir) {
  if (dir == "/") return dir;
  auto cached = builder.physical_dirs.find(dir);
  if (cached != builder.physical_dirs.end()) return cached->second;
  std::optional<std::string> result;
  if (auto parent = physical_dir(builder, parent_of(dir))) {
    std::string path = (*parent == "/" ? "" : *parent) + "/" + fs::basename(dir);
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      // gone: nothing below it is there either
    } else if (S_ISLNK(st.st_mode)) {
      Walk walk = walk_path(path);
      for (const auto& link : walk.links) add_entry(builder, link);
      if (walk.exists && fs::is_directory(walk.path)) result = walk.path;
    } else if (S_ISDIR(st.st_mode)) {
      result = path;
    }
  }
  builder.physical_dirs[dir] = result;
  return result;
}

// A package's link must not dangle in the image: its target comes along
// (the file or directory itself, not the package owning it).
void add_link_target(Builder& builder, const std::string& link) {
  Walk walk = walk_path(link);
  for (const auto& step : walk.links) add_entry(builder, step);
  if (!walk.exists) return;  // dangling on the host too
  if (auto file = host_file(walk.path)) add_entry(builder, *file);
}

void add_package_file(Builder& builder, const std::string& placed) {
  if (placed == "/" || is_excluded(builder, placed) || in_nix_store(builder, placed)) return;
  auto dir = physical_dir(builder, parent_of(placed));
  if (!dir) return;
  auto file = host_file((*dir == "/" ? "" : *dir) + "/" + fs::basename(placed));
  if (!file) return;  // removed since, or a device
  bool link = file->kind == HostFile::Symlink;
  std::string path = file->path;
  add_entry(builder, std::move(*file));
  if (link) add_link_target(builder, path);
}

void add_package_files(Builder& builder, const std::string& package) {
  auto id = builder.dpkg.ids.find(package);
  if (id == builder.dpkg.ids.end()) return;  // installed without a file list
  for_each_line(builder.dpkg.lists[id->second], [&](std::string_view entry) {
    add_package_file(
        builder, canonical(builder.merge, std::string(placed_entry(builder.dpkg, package, entry))));
  });
}

// py3compile writes the compiled modules at install time, outside dpkg's
// lists. Without them Python compiles every module at each start when it
// cannot write them (supervisord --version: 1 s instead of 0.3 s).
void add_python_bytecode(Builder& builder) {
  std::map<std::string, std::set<std::string>> modules;  // directory -> kept X of X.py
  for (const auto& [path, file] : builder.files)
    if (file.kind == HostFile::File && path.ends_with(".py")) {
      std::string name = fs::basename(path);
      modules[parent_of(path)].insert(name.substr(0, name.size() - 3));
    }
  for (const auto& [dir, names] : modules) {
    std::string cache = dir + "/__pycache__";
    struct stat st;
    if (::lstat(cache.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    for (const auto& name : fs::list_directory(cache)) {
      if (!name.ends_with(".pyc") || !names.count(name.substr(0, name.find('.')))) continue;
      auto file = host_file(cache + "/" + name);  // X.cpython-311.pyc, X.cpython-311.opt-1.pyc
      if (file && file->kind == HostFile::File) add_entry(builder, *file);
    }
  }
}

// One link of an alternative, when it leads (through /etc/alternatives) to
// a file of the closure and not elsewhere (an administrator's own link).
void add_alternative(Builder& builder, const std::string& name, const std::string& link) {
  Walk choice = walk_path(std::string(kAlternativesDir) + "/" + name);
  if (!choice.exists || !builder.files.count(choice.path)) return;
  Walk walk = walk_path(link);
  if (!walk.exists || walk.path != choice.path) return;
  for (const auto& step : walk.links) add_entry(builder, step);
}

// update-alternatives' links (/usr/bin/awk -> /etc/alternatives/awk ->
// /usr/bin/mawk) are in no package's list: those whose current choice is in
// the closure come along, so that scripts find awk, pager or editor. The
// database: mode, master link, (slave name, slave link)..., empty line.
void add_alternatives(Builder& builder) {
  for (const auto& name : fs::list_directory(kAlternativesDb)) {
    std::vector<std::string> lines;  // empty ones too: one ends the slaves
    std::istringstream text(fs::read_file(std::string(kAlternativesDb) + "/" + name));
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    if (lines.size() < 2) continue;
    add_alternative(builder, name, lines[1]);
    for (size_t i = 2; i + 1 < lines.size() && !lines[i].empty(); i += 2)
      add_alternative(builder, lines[i], lines[i + 1]);
  }
}

// ---- putting it together ----------------------------------------------

std::vector<std::string> excluded_prefixes(const UsrMerge& merge, const ClosureOptions& options) {
  // doc-base only registers documentation, which is gone.
  std::vector<std::string> prefixes = {"/usr/share/doc", "/usr/share/doc-base", "/usr/share/info",
                                       "/usr/share/lintian", "/usr/share/bug"};
  if (!options.manpages) prefixes.push_back("/usr/share/man");
  for (auto prefix : options.exclude_prefixes) {
    while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
    if (!prefix.empty()) prefixes.push_back(canonical(merge, prefix));
  }
  return prefixes;
}

// The loader's configuration files, so ldconfig in the image sees the host's.
void add_loader_config(Builder& builder) {
  std::vector<std::string> paths = builder.ld_conf.files;
  for (const auto& name : fs::list_directory(kLdSoConfDir))
    paths.push_back(std::string(kLdSoConfDir) + "/" + name);
  for (const auto& path : paths) {
    Walk walk = walk_path(path);
    for (const auto& link : walk.links) add_entry(builder, link);
    if (auto file = walk.exists ? host_file(walk.path) : std::nullopt) add_entry(builder, *file);
  }
}

// bin, sbin, lib, lib64 always; lib32 and the like when /usr has them here.
void add_usr_merge_links(Builder& builder) {
  for (const auto& alias : builder.merge.aliases) {
    std::string usr = "/usr/" + alias;
    bool basic = alias == "bin" || alias == "sbin" || alias == "lib" || alias == "lib64";
    auto below = builder.files.lower_bound(usr + "/");
    bool used = below != builder.files.end() && has_prefix(below->first, usr);
    if (basic || used)
      add_entry(builder, {"/" + alias, HostFile::Symlink, fs::read_link("/" + alias), 0});
  }
}

// Every directory above an entry is an entry, so the image can be unpacked
// in path order.
void add_parent_dirs(Builder& builder) {
  std::vector<std::string> parents;
  for (const auto& [path, file] : builder.files)
    for (std::string dir = parent_of(path); dir != "/"; dir = parent_of(dir))
      if (!builder.files.count(dir)) parents.push_back(dir);
  for (const auto& dir : parents)
    builder.files.emplace(dir, HostFile{dir, HostFile::Directory, "", 0});
}

}  // namespace

HostClosure host_closure(const std::vector<std::string>& executables,
                         const std::vector<std::string>& packages, const ClosureOptions& options) {
  Builder builder;
  builder.options = options;
  builder.merge = detect_usr_merge();
  load_dpkg(builder.dpkg, builder.merge);
  builder.excluded = excluded_prefixes(builder.merge, options);
  parse_ld_conf(builder.merge, kLdSoConf, 0, builder.ld_conf);
  for (const auto& package : packages) want_named_package(builder, package);
  if (options.manpages && builder.dpkg.packages.count("man-db")) builder.wanted.insert("man-db");
  for (const auto& executable : executables) add_asked_executable(builder, executable);
  std::set<std::string> closure = with_dependencies(builder);
  for (const auto& package : closure) add_package_files(builder, package);
  if (options.python_bytecode) add_python_bytecode(builder);
  add_alternatives(builder);
  add_loader_config(builder);
  add_usr_merge_links(builder);
  add_parent_dirs(builder);

  HostClosure result;
  result.packages.assign(closure.begin(), closure.end());
  for (auto& [path, file] : builder.files) result.files.push_back(std::move(file));
  result.cache_only_library_dirs.assign(builder.cache_only_dirs.begin(),
                                        builder.cache_only_dirs.end());
  return result;
}

uint64_t total_size(const HostClosure& closure) {
  uint64_t size = 0;
  for (const auto& file : closure.files)
    if (file.kind == HostFile::File) size += file.size;
  return size;
}

}  // namespace nixproc::image
