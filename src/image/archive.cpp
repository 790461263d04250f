#include "image/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <locale.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <random>
#include <regex>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/quote.h"

namespace nixproc::image {

namespace {

using json = nlohmann::json;

// Every entry's mtime and the config's "created": a fixed instant, so the
// archive does not depend on when or from which files it was made. 1, not 0:
// some tools treat a zero mtime as "unset".
constexpr time_t kMtime = 1;
constexpr const char* kCreated = "1970-01-01T00:00:01Z";
constexpr size_t kCopyBuffer = size_t{1} << 20;

// --- checking input -------------------------------------------------------

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF); tar headers and JSON carry UTF-8.
bool valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto byte = [&](size_t at) { return static_cast<unsigned char>(text[at]); };
    unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (lead < 0xc2 || lead > 0xf4 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k)
      if ((byte(i + k) & 0xc0) != 0x80) return false;
    unsigned char second = byte(i + 1);
    if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) ||
        (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second > 0x8f))
      return false;
    i += length;
  }
  return true;
}

// Throws unless `path` is relative, '/'-separated, without empty, "." or ".."
// components, NUL bytes or malformed UTF-8: a layer must not reach outside
// the image's root, and every path must have exactly one spelling.
void check_path(const std::string& path) {
  auto refuse = [&](const std::string& why) {
    throw Error("image path " + quote(path) + " " + why);
  };
  if (path.empty()) refuse("is empty");
  if (path.find('\0') != std::string::npos) refuse("has a NUL byte");
  if (path.front() == '/') refuse("is absolute; layer paths are relative (usr/bin/x)");
  if (!valid_utf8(path)) refuse("is not valid UTF-8");
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string_view part(path.data() + start, end - start);
    if (part.empty()) refuse("has an empty component");
    if (part == "." || part == "..") refuse("has a '" + std::string(part) + "' component");
    start = end + 1;
  }
}

void check_file(const ImageFile& file) {
  check_path(file.path);
  const std::string what = "image file " + quote(file.path);
  if (file.mode > 07777)
    throw Error(what + " has mode " + std::to_string(file.mode) +
                " with bits beyond the permissions (07777)");
  if (file.kind != ImageFile::File && !file.source.empty())
    throw Error(what + " has a source but is not a file");
  if (!file.source.empty() && !file.data.empty())
    throw Error(what + " has both a source and inline content");
  if (file.kind == ImageFile::Symlink) {
    if (file.data.empty()) throw Error(what + " is a symlink without a target");
    if (file.data.find('\0') != std::string::npos || !valid_utf8(file.data))
      throw Error(what + " has a symlink target that is not UTF-8 text: " + quote(file.data));
  }
  if (file.kind == ImageFile::Directory && !file.data.empty())
    throw Error(what + " is a directory with content");
}

bool same_file(const ImageFile& a, const ImageFile& b) {
  return a.kind == b.kind && a.mode == b.mode && a.uid == b.uid && a.gid == b.gid &&
         a.source == b.source && a.data == b.data;
}

// Paths in tree order: component by component, so a directory's entries
// follow it directly ("a", "a/b", "a-c" rather than "a", "a-c", "a/b").
struct PathOrder {
  bool operator()(const std::string& a, const std::string& b) const {
    auto key = [](char c) { return c == '/' ? 0 : static_cast<unsigned char>(c); };
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [&](char x, char y) { return key(x) < key(y); });
  }
};

// The layer's entries, checked, without duplicates, with every parent
// directory the layer does not list (0755 root:root, so the container's
// permissions are defined), in tree order.
std::vector<ImageFile> layer_entries(const Layer& layer) {
  std::map<std::string, ImageFile, PathOrder> entries;
  for (const auto& file : layer.files) {
    check_file(file);
    auto [at, added] = entries.emplace(file.path, file);
    if (!added && !same_file(at->second, file))
      throw Error("image path " + quote(file.path) + " is listed twice in a layer, differently");
  }
  std::vector<std::string> listed;
  for (const auto& [path, file] : entries) listed.push_back(path);
  for (const auto& path : listed) {
    for (size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      std::string parent = path.substr(0, slash);
      ImageFile directory;
      directory.path = parent;
      directory.kind = ImageFile::Directory;
      directory.mode = 0755;
      auto [at, added] = entries.emplace(parent, std::move(directory));
      if (!added && at->second.kind != ImageFile::Directory)
        throw Error("image path " + quote(parent) + " is not a directory but holds " + quote(path));
    }
  }
  std::vector<ImageFile> sorted;
  sorted.reserve(entries.size());
  for (auto& [path, file] : entries) sorted.push_back(std::move(file));
  return sorted;
}

// "name:tag" as docker's reference grammar has it: an optional registry
// (localhost, a dotted host name or one with a port), lower-case path
// components, a tag of at most 128 characters; so podman and docker accept
// the name we write.
void check_repo_tag(const std::string& repo_tag) {
  static const std::string host = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
  static const std::string component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  static const std::regex grammar("(?:(?:(?:localhost|" + host + "(?:\\." + host +
                                  ")+)(?::[0-9]+)?|" + host + ":[0-9]+)/)?" + component + "(?:/" +
                                  component + ")*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  size_t colon = repo_tag.rfind(':');
  if (repo_tag.size() > 255 + 129 || !std::regex_match(repo_tag, grammar) || colon > 255)
    throw Error("image name " + quote(repo_tag) +
                " is not of the form name:tag (lower-case name, e.g. webapp:latest)");
}

// --- owning handles -------------------------------------------------------

struct ArchiveFree {
  void operator()(struct archive* handle) const { archive_write_free(handle); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveFree>;

struct EntryFree {
  void operator()(archive_entry* entry) const { archive_entry_free(entry); }
};
using EntryPtr = std::unique_ptr<archive_entry, EntryFree>;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// libarchive converts names through the thread's locale; in the "C" locale
// it cannot represent UTF-8 names. A C.UTF-8 thread locale for the writer's
// lifetime makes names come out byte for byte, whatever the process's locale.
class Utf8Locale {
 public:
  Utf8Locale() : locale_(::newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{})) {
    if (locale_) previous_ = ::uselocale(locale_);
  }
  ~Utf8Locale() {
    if (!locale_) return;
    ::uselocale(previous_);
    ::freelocale(locale_);
  }
  Utf8Locale(const Utf8Locale&) = delete;
  Utf8Locale& operator=(const Utf8Locale&) = delete;

 private:
  locale_t locale_;
  locale_t previous_ = LC_GLOBAL_LOCALE;
};

void write_all(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("cannot write " + path + ": " + fs::errno_text());
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// A new file beside `near` (its name plus `tag` and a random suffix), removed
// when the object dies unless it was renamed into place by `commit`.
class TempFile {
 public:
  TempFile(const std::string& near, const std::string& tag) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    for (int attempt = 0; fd_ < 0; ++attempt) {
      path_ = near + "." + tag + ".tmp-" + std::to_string(::getpid()) + "-" +
              std::to_string(random() % 1000000007);
      fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd_ < 0 && (errno != EEXIST || attempt == 100))
        throw Error("cannot create " + path_ + ": " + fs::errno_text());
    }
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

  // Flushes the file to disk and renames it to `final_path`, so a crash never
  // leaves a truncated archive under the final name.
  void commit(const std::string& final_path) {
    if (::fsync(fd_) != 0) throw Error("cannot sync " + path_ + ": " + fs::errno_text());
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw Error("cannot write " + path_ + ": " + fs::errno_text());
    if (::rename(path_.c_str(), final_path.c_str()) != 0)
      throw Error("cannot rename " + path_ + " to " + final_path + ": " + fs::errno_text());
    path_.clear();
  }

 private:
  std::string path_;
  int fd_ = -1;
};

// --- tar writing ----------------------------------------------------------

// Where a tar's bytes go: hashed always, written to `fd` when it is open.
struct Sink {
  int fd = -1;
  std::string path;  // for messages
  Sha256 hash;
  uint64_t size = 0;
};

la_ssize_t write_to_sink(struct archive* handle, void* data, const void* buffer, size_t length) {
  auto& sink = *static_cast<Sink*>(data);
  try {
    if (sink.fd >= 0) write_all(sink.fd, static_cast<const char*>(buffer), length, sink.path);
  } catch (const Error& error) {
    archive_set_error(handle, EIO, "%s", error.what());
    return -1;
  }
  sink.hash.update(std::string_view(static_cast<const char*>(buffer), length));
  sink.size += length;
  return static_cast<la_ssize_t>(length);
}

void check(struct archive* handle, int status, const std::string& what) {
  if (status == ARCHIVE_OK) return;
  const char* reason = archive_error_string(handle);
  throw Error(what + ": " + (reason ? reason : "libarchive failed"));
}

// An uncompressed tar into `sink`: pax restricted, which is plain ustar
// unless a name is too long, a file too large or an id too big for it, and
// never records atime or ctime. No padding beyond the end-of-archive blocks.
ArchivePtr open_tar(Sink& sink) {
  ArchivePtr tar(archive_write_new());
  if (!tar) throw Error("cannot create a tar writer: out of memory");
  const std::string what = "cannot start tar " + sink.path;
  check(tar.get(), archive_write_set_format_pax_restricted(tar.get()), what);
  check(tar.get(), archive_write_set_bytes_in_last_block(tar.get(), 1), what);
  check(tar.get(), archive_write_open2(tar.get(), &sink, nullptr, write_to_sink, nullptr, nullptr),
        what);
  return tar;
}

void close_tar(struct archive* tar, const Sink& sink) {
  check(tar, archive_write_close(tar), "cannot finish tar " + sink.path);
}

// A header with nothing from the host: numeric owner only, fixed mtime.
EntryPtr new_entry(const std::string& path, mode_t type, unsigned mode, unsigned uid,
                   unsigned gid) {
  EntryPtr entry(archive_entry_new());
  if (!entry) throw Error("cannot create a tar entry: out of memory");
  archive_entry_set_pathname(entry.get(), path.c_str());
  archive_entry_set_filetype(entry.get(), type);
  archive_entry_set_perm(entry.get(), mode);
  archive_entry_set_uid(entry.get(), uid);
  archive_entry_set_gid(entry.get(), gid);
  archive_entry_set_mtime(entry.get(), kMtime, 0);
  return entry;
}

void write_header(struct archive* tar, archive_entry* entry, const std::string& what) {
  check(tar, archive_write_header(tar, entry), what);
}

void write_data(struct archive* tar, const char* data, size_t size, const std::string& what) {
  while (size > 0) {
    la_ssize_t n = archive_write_data(tar, data, size);
    if (n <= 0) check(tar, n == 0 ? ARCHIVE_FATAL : static_cast<int>(n), what);
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// Copies exactly `size` bytes of `fd` into the current entry; a file that
// shrinks or grows meanwhile is an error rather than a corrupt entry.
void copy_fd(struct archive* tar, int fd, uint64_t size, const std::string& source,
             const std::string& what, std::vector<char>& buffer) {
  uint64_t left = size;
  while (true) {
    size_t want = left > 0 ? static_cast<size_t>(std::min<uint64_t>(left, buffer.size())) : 1;
    ssize_t n = ::read(fd, buffer.data(), want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("cannot read " + source + ": " + fs::errno_text());
    if (left == 0) {
      if (n > 0) throw Error(source + " grew while it was copied into " + what);
      return;
    }
    if (n == 0) throw Error(source + " shrank while it was copied into " + what);
    write_data(tar, buffer.data(), static_cast<size_t>(n), what);
    left -= static_cast<uint64_t>(n);
  }
}

// Opens a file's source: it must be a regular file (symlinks followed),
// checked before and after opening so a FIFO swapped in cannot block us.
int open_source(const ImageFile& file, struct stat& st) {
  const std::string what = "source " + file.source + " of image file " + quote(file.path);
  if (::stat(file.source.c_str(), &st) != 0)
    throw Error(what + (errno == ENOENT ? " does not exist" : ": " + fs::errno_text()));
  if (!S_ISREG(st.st_mode)) throw Error(what + " is not a regular file");
  int fd = ::open(file.source.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot read " + what + ": " + fs::errno_text());
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(what + " is not a regular file");
  }
  return fd;
}

void write_file(struct archive* tar, const ImageFile& file, const std::string& what,
                std::vector<char>& buffer) {
  if (file.source.empty()) {
    EntryPtr entry = new_entry(file.path, AE_IFREG, file.mode, file.uid, file.gid);
    if (file.mtime > 0) archive_entry_set_mtime(entry.get(), file.mtime, 0);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(file.data.size()));
    write_header(tar, entry.get(), what);
    write_data(tar, file.data.data(), file.data.size(), what);
    return;
  }
  struct stat st;
  Fd fd(open_source(file, st));
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  EntryPtr entry = new_entry(file.path, AE_IFREG, file.mode, file.uid, file.gid);
  if (file.mtime > 0) archive_entry_set_mtime(entry.get(), file.mtime, 0);
  archive_entry_set_size(entry.get(), st.st_size);
  write_header(tar, entry.get(), what);
  copy_fd(tar, fd.get(), static_cast<uint64_t>(st.st_size), file.source, what, buffer);
}

void write_entry(struct archive* tar, const ImageFile& file, const std::string& what,
                 std::vector<char>& buffer) {
  switch (file.kind) {
    case ImageFile::Directory:
      write_header(tar, new_entry(file.path, AE_IFDIR, file.mode, file.uid, file.gid).get(), what);
      return;
    case ImageFile::Symlink: {
      // A symlink's own mode means nothing on Linux; 0777 is what every tool writes.
      EntryPtr entry = new_entry(file.path, AE_IFLNK, 0777, file.uid, file.gid);
      archive_entry_set_symlink(entry.get(), file.data.c_str());
      write_header(tar, entry.get(), what);
      return;
    }
    case ImageFile::File:
      write_file(tar, file, what, buffer);
      return;
  }
}

// Writes a layer's tar into `sink`; returns the hex SHA-256 of its bytes.
std::string write_layer(Sink& sink, const std::vector<ImageFile>& entries) {
  std::vector<char> buffer(kCopyBuffer);
  ArchivePtr tar = open_tar(sink);
  for (const auto& file : entries)
    write_entry(tar.get(), file, "cannot add " + quote(file.path) + " to " + sink.path, buffer);
  close_tar(tar.get(), sink);
  return sink.hash.hex();
}

// --- the image's JSON documents -------------------------------------------

// JSON text of `document`; strings that are not UTF-8 are refused by name.
std::string dump(const json& document, const std::string& what) {
  try {
    return document.dump();
  } catch (const json::exception& error) {
    throw Error(what + " has text that is not valid UTF-8 (" + error.what() + ")");
  }
}

// The container settings, leaving out the unset ones.
json container_config(const ImageConfig& config) {
  json out = json::object();
  auto put_list = [&](const char* key, const std::vector<std::string>& values) {
    if (!values.empty()) out[key] = values;
  };
  auto put_text = [&](const char* key, const std::string& value) {
    if (!value.empty()) out[key] = value;
  };
  put_list("Entrypoint", config.entrypoint);
  put_list("Cmd", config.cmd);
  put_list("Env", config.env);
  put_text("WorkingDir", config.working_dir);
  put_text("User", config.user);
  put_text("StopSignal", config.stop_signal);
  if (!config.labels.empty()) out["Labels"] = config.labels;
  return out;
}

// The image config (OCI image spec / docker v1.2 image JSON): keys sorted
// (nlohmann's objects are ordered maps), no whitespace, so its digest is stable.
std::string image_config_json(const ImageConfig& config, const std::vector<std::string>& diff_ids) {
  for (const auto& entry : config.env)
    if (entry.find('=') == std::string::npos || entry.front() == '=')
      throw Error("image environment entry " + quote(entry) + " is not NAME=value");
  json history = json::array();
  for (size_t i = 0; i < diff_ids.size(); ++i)
    history.push_back({{"created", kCreated}, {"created_by", "nixproc image"}});
  json document = {{"architecture", image_architecture()},
                   {"os", "linux"},
                   {"created", kCreated},
                   {"config", container_config(config)},
                   {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
                   {"history", history}};
  return dump(document, "image config");
}

std::string manifest_json(const std::string& config_name, const std::string& repo_tag,
                          const std::vector<std::string>& layer_names) {
  json item = {{"Config", config_name}, {"RepoTags", {repo_tag}}, {"Layers", layer_names}};
  return dump(json::array({item}), "image manifest");
}

// --- the outer archive ----------------------------------------------------

// One member of the docker-archive: inline text, a stored layer, or a directory.
struct Member {
  std::string text;
  const TempFile* layer = nullptr;
  uint64_t size = 0;
  bool directory = false;
};

void write_member(struct archive* tar, const std::string& name, const Member& member,
                  const std::string& output, std::vector<char>& buffer) {
  const std::string what = "cannot add " + name + " to " + output;
  if (member.directory) {
    write_header(tar, new_entry(name, AE_IFDIR, 0755, 0, 0).get(), what);
    return;
  }
  EntryPtr entry = new_entry(name, AE_IFREG, 0644, 0, 0);
  uint64_t size = member.layer ? member.size : member.text.size();
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  write_header(tar, entry.get(), what);
  if (!member.layer) {
    write_data(tar, member.text.data(), member.text.size(), what);
    return;
  }
  if (::lseek(member.layer->fd(), 0, SEEK_SET) != 0)
    throw Error("cannot read " + member.layer->path() + ": " + fs::errno_text());
  copy_fd(tar, member.layer->fd(), size, member.layer->path(), what, buffer);
}

}  // namespace

std::string image_architecture() {
  struct utsname names;
  if (::uname(&names) != 0) throw Error("uname failed: " + fs::errno_text());
  static const std::map<std::string, std::string> oci = {
      {"x86_64", "amd64"},    {"aarch64", "arm64"},   {"armv7l", "arm"},         {"armv6l", "arm"},
      {"i686", "386"},        {"i386", "386"},        {"ppc64le", "ppc64le"},    {"s390x", "s390x"},
      {"riscv64", "riscv64"}, {"mips64", "mips64le"}, {"loongarch64", "loong64"}};
  auto at = oci.find(names.machine);
  return at == oci.end() ? names.machine : at->second;
}

std::string layer_diff_id(const Layer& layer) {
  Utf8Locale locale;
  Sink sink;
  sink.path = "(layer digest)";
  return "sha256:" + write_layer(sink, layer_entries(layer));
}

void write_docker_archive(const std::string& output, const std::string& repo_tag,
                          const std::vector<Layer>& layers, const ImageConfig& config) {
  check_repo_tag(repo_tag);
  // Every layer is checked before anything is written, so bad input costs nothing.
  std::vector<std::vector<ImageFile>> entries;
  for (const auto& layer : layers) entries.push_back(layer_entries(layer));
  Utf8Locale locale;

  // Each layer goes to a temporary file while it is hashed: its name in the
  // archive is its digest. A layer identical to an earlier one is dropped.
  std::vector<std::unique_ptr<TempFile>> stored;
  std::map<std::string, Member, PathOrder> members;
  std::vector<std::string> diff_ids, layer_names;
  for (size_t i = 0; i < entries.size(); ++i) {
    auto temp = std::make_unique<TempFile>(output, "layer" + std::to_string(i));
    Sink sink;
    sink.fd = temp->fd();
    sink.path = temp->path();
    std::string hex = write_layer(sink, entries[i]);
    diff_ids.push_back("sha256:" + hex);
    layer_names.push_back(hex + "/layer.tar");
    if (members.count(layer_names.back())) continue;
    members[hex].directory = true;
    members[layer_names.back()].layer = temp.get();
    members[layer_names.back()].size = sink.size;
    stored.push_back(std::move(temp));
  }
  std::string config_text = image_config_json(config, diff_ids);
  std::string config_name = sha256_hex(config_text) + ".json";
  members["manifest.json"].text = manifest_json(config_name, repo_tag, layer_names);
  members[config_name].text = std::move(config_text);

  TempFile archive_file(output, "archive");
  Sink sink;
  sink.fd = archive_file.fd();
  sink.path = archive_file.path();
  std::vector<char> buffer(kCopyBuffer);
  {
    ArchivePtr tar = open_tar(sink);
    for (const auto& [name, member] : members)
      write_member(tar.get(), name, member, output, buffer);
    close_tar(tar.get(), sink);
  }
  archive_file.commit(output);
}

}  // namespace nixproc::image
