#include "image/elf.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/fs.h"

namespace nixproc::image {

static_assert(std::endian::native == std::endian::little,
              "the ELF reader copies little-endian structures as they are");

namespace {

// Limits far above any real file, so a forged count cannot make us allocate
// or read without end (the file size bounds everything else).
constexpr uint64_t kMaxHeaders = 1 << 16;
constexpr uint64_t kMaxDynamicEntries = 1 << 16;
constexpr uint64_t kMaxStringTable = uint64_t{64} << 20;
constexpr uint64_t kMaxInterpreter = 4096;

// Bounded reads from a buffer (tests, hostile input) or an open file.
struct Source {
  std::string_view bytes;  // used when fd < 0
  int fd = -1;
  uint64_t size = 0;
  std::string name;
};

// Whether [offset, offset + count) lies in the file; checked before anything
// is allocated for it.
bool within(const Source& source, uint64_t offset, uint64_t count) {
  return offset <= source.size && count <= source.size - offset;
}

bool read_at(const Source& source, uint64_t offset, void* out, uint64_t count) {
  if (!within(source, offset, count)) return false;
  if (source.fd < 0) {
    std::memcpy(out, source.bytes.data() + offset, count);
    return true;
  }
  uint64_t done = 0;
  while (done < count) {
    ssize_t n = ::pread(source.fd, static_cast<char*>(out) + done, count - done,
                        static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // the file shrank under us
    done += static_cast<uint64_t>(n);
  }
  return true;
}

[[noreturn]] void malformed(const Source& source, const std::string& why) {
  throw Error(source.name + " is a malformed ELF file: " + why);
}

// The fields of the 32- and 64-bit headers we use, widened.
struct Header {
  uint16_t type = 0, machine = 0, phentsize = 0, shentsize = 0;
  uint64_t phoff = 0, shoff = 0, phnum = 0;
};

struct Segment {
  uint32_t type = 0;
  uint64_t offset = 0, vaddr = 0, filesz = 0;
};

template <class Ehdr>
Header read_header(const Source& source) {
  Ehdr ehdr;
  if (!read_at(source, 0, &ehdr, sizeof ehdr)) malformed(source, "truncated ELF header");
  Header header;
  header.type = ehdr.e_type;
  header.machine = ehdr.e_machine;
  header.phoff = ehdr.e_phoff;
  header.phentsize = ehdr.e_phentsize;
  header.phnum = ehdr.e_phnum;
  header.shoff = ehdr.e_shoff;
  header.shentsize = ehdr.e_shentsize;
  return header;
}

// With PN_XNUM the real program header count is in section 0's sh_info.
template <class Shdr>
uint64_t extended_phnum(const Source& source, const Header& header) {
  Shdr section;
  if (header.shentsize != sizeof section ||
      !read_at(source, header.shoff, &section, sizeof section))
    malformed(source, "program header count escapes to a missing section header");
  return section.sh_info;
}

template <class Phdr>
std::vector<Segment> read_segments(const Source& source, const Header& header) {
  if (header.phnum == 0) return {};
  if (header.phentsize != sizeof(Phdr)) malformed(source, "unexpected program header size");
  if (header.phnum > kMaxHeaders) malformed(source, "too many program headers");
  if (!within(source, header.phoff, header.phnum * sizeof(Phdr)))
    malformed(source, "program headers beyond the end of the file");
  std::vector<Phdr> raw(header.phnum);
  if (!read_at(source, header.phoff, raw.data(), header.phnum * sizeof(Phdr)))
    malformed(source, "program headers beyond the end of the file");
  std::vector<Segment> segments;
  for (const Phdr& phdr : raw)
    segments.push_back({phdr.p_type, phdr.p_offset, phdr.p_vaddr, phdr.p_filesz});
  return segments;
}

const Segment* find_segment(const std::vector<Segment>& segments, uint32_t type) {
  for (const Segment& segment : segments)
    if (segment.type == type) return &segment;
  return nullptr;
}

std::string read_interpreter(const Source& source, const Segment& interp) {
  if (interp.filesz == 0 || interp.filesz > kMaxInterpreter)
    malformed(source, "bad PT_INTERP size");
  std::string path(interp.filesz, '\0');
  if (!read_at(source, interp.offset, path.data(), interp.filesz))
    malformed(source, "PT_INTERP beyond the end of the file");
  auto end = path.find('\0');
  if (end == std::string::npos) malformed(source, "PT_INTERP is not NUL-terminated");
  path.resize(end);
  return path;
}

// The file offset of a virtual address, through the PT_LOAD that maps it.
uint64_t file_offset(const Source& source, const std::vector<Segment>& segments, uint64_t address) {
  for (const Segment& segment : segments)
    if (segment.type == PT_LOAD && address >= segment.vaddr &&
        address - segment.vaddr < segment.filesz)
      return segment.offset + (address - segment.vaddr);
  malformed(source, "dynamic string table address is not in any loaded segment");
}

std::vector<std::string> split_path_list(const std::string& list) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(':', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) parts.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// The dynamic entries we care about, before their strings are looked up.
struct DynamicRefs {
  uint64_t strtab = 0, strsz = 0;
  bool has_strtab = false;
  std::vector<uint64_t> needed;
  std::optional<uint64_t> rpath, runpath, soname;
};

template <class Dyn>
DynamicRefs read_dynamic(const Source& source, const Segment& dynamic) {
  uint64_t count = dynamic.filesz / sizeof(Dyn);
  if (count > kMaxDynamicEntries) malformed(source, "dynamic section too large");
  if (!within(source, dynamic.offset, count * sizeof(Dyn)))
    malformed(source, "dynamic section beyond the end of the file");
  std::vector<Dyn> entries(count);
  if (!read_at(source, dynamic.offset, entries.data(), count * sizeof(Dyn)))
    malformed(source, "dynamic section beyond the end of the file");
  DynamicRefs refs;
  for (const Dyn& entry : entries) {
    uint64_t value = entry.d_un.d_val;
    switch (entry.d_tag) {
      case DT_NULL:
        return refs;
      case DT_NEEDED:
        refs.needed.push_back(value);
        break;
      case DT_RPATH:
        refs.rpath = value;
        break;
      case DT_RUNPATH:
        refs.runpath = value;
        break;
      case DT_SONAME:
        refs.soname = value;
        break;
      case DT_STRTAB:
        refs.strtab = value, refs.has_strtab = true;
        break;
      case DT_STRSZ:
        refs.strsz = value;
        break;
      default:
        break;
    }
  }
  return refs;
}

std::string string_at(const Source& source, const std::string& table, uint64_t offset) {
  if (offset >= table.size()) malformed(source, "string offset beyond the dynamic string table");
  auto end = table.find('\0', offset);
  if (end == std::string::npos)
    malformed(source, "unterminated string in the dynamic string table");
  return table.substr(offset, end - offset);
}

void resolve_dynamic(const Source& source, const std::vector<Segment>& segments,
                     const DynamicRefs& refs, ElfInfo& info) {
  bool any = !refs.needed.empty() || refs.rpath || refs.runpath || refs.soname;
  if (!any) return;
  if (!refs.has_strtab || refs.strsz == 0)
    malformed(source, "dynamic section without string table");
  if (refs.strsz > kMaxStringTable) malformed(source, "dynamic string table too large");
  uint64_t offset = file_offset(source, segments, refs.strtab);
  if (!within(source, offset, refs.strsz))
    malformed(source, "dynamic string table beyond the end of the file");
  std::string table(refs.strsz, '\0');
  if (!read_at(source, offset, table.data(), refs.strsz))
    malformed(source, "dynamic string table beyond the end of the file");
  for (uint64_t offset : refs.needed) info.needed.push_back(string_at(source, table, offset));
  if (refs.rpath) info.rpath = split_path_list(string_at(source, table, *refs.rpath));
  if (refs.runpath) info.runpath = split_path_list(string_at(source, table, *refs.runpath));
  if (refs.soname) info.soname = string_at(source, table, *refs.soname);
}

template <class Ehdr, class Phdr, class Shdr, class Dyn>
ElfInfo parse_class(const Source& source, int elf_class) {
  Header header = read_header<Ehdr>(source);
  if (header.phnum == PN_XNUM) header.phnum = extended_phnum<Shdr>(source, header);
  ElfInfo info;
  info.elf_class = elf_class;
  info.machine = header.machine;
  info.type = header.type;
  std::vector<Segment> segments = read_segments<Phdr>(source, header);
  if (const Segment* interp = find_segment(segments, PT_INTERP))
    info.interpreter = read_interpreter(source, *interp);
  if (const Segment* dynamic = find_segment(segments, PT_DYNAMIC))
    resolve_dynamic(source, segments, read_dynamic<Dyn>(source, *dynamic), info);
  return info;
}

// Checks the identification bytes; nullopt when not ELF.
std::optional<int> identify(const Source& source) {
  unsigned char ident[EI_NIDENT];
  if (!read_at(source, 0, ident, SELFMAG) || std::memcmp(ident, ELFMAG, SELFMAG) != 0)
    return std::nullopt;
  if (!read_at(source, 0, ident, EI_NIDENT)) malformed(source, "truncated identification");
  if (ident[EI_DATA] != ELFDATA2LSB) malformed(source, "not little-endian (unsupported)");
  if (ident[EI_CLASS] == ELFCLASS64) return 64;
  if (ident[EI_CLASS] == ELFCLASS32) return 32;
  malformed(source, "unknown ELF class");
}

std::optional<ElfInfo> parse_source(const Source& source) {
  std::optional<int> elf_class = identify(source);
  if (!elf_class) return std::nullopt;
  if (*elf_class == 64)
    return parse_class<Elf64_Ehdr, Elf64_Phdr, Elf64_Shdr, Elf64_Dyn>(source, 64);
  return parse_class<Elf32_Ehdr, Elf32_Phdr, Elf32_Shdr, Elf32_Dyn>(source, 32);
}

// Opens a regular file without blocking (a FIFO must not hang us).
int open_regular(const std::string& path, uint64_t& size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw Error("cannot read " + path + ": " + fs::errno_text());
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error("cannot read " + path + ": not a regular file");
  }
  size = static_cast<uint64_t>(st.st_size);
  return fd;
}

// Closes the descriptor on every way out of a parse.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

}  // namespace

bool has_elf_magic(std::string_view bytes) {
  return bytes.size() >= SELFMAG && std::memcmp(bytes.data(), ELFMAG, SELFMAG) == 0;
}

std::optional<ElfInfo> parse_elf(std::string_view bytes, const std::string& name) {
  Source source{bytes, -1, bytes.size(), name};
  return parse_source(source);
}

std::optional<ElfInfo> read_elf(const std::string& path) {
  Source source;
  source.name = path;
  source.fd = open_regular(path, source.size);
  FdCloser closer{source.fd};
  return parse_source(source);
}

std::optional<ElfInfo> read_elf_header(const std::string& path) {
  try {
    Source source;
    source.name = path;
    source.fd = open_regular(path, source.size);
    FdCloser closer{source.fd};
    std::optional<int> elf_class = identify(source);
    if (!elf_class) return std::nullopt;
    Header header =
        *elf_class == 64 ? read_header<Elf64_Ehdr>(source) : read_header<Elf32_Ehdr>(source);
    ElfInfo info;
    info.elf_class = *elf_class;
    info.machine = header.machine;
    info.type = header.type;
    return info;
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::string multiarch_triplet(uint16_t machine, int elf_class) {
  switch (machine) {
    case EM_X86_64:
      return elf_class == 64 ? "x86_64-linux-gnu" : "x86_64-linux-gnux32";
    case EM_386:
      return "i386-linux-gnu";
    case EM_AARCH64:
      return "aarch64-linux-gnu";
    case EM_ARM:
      return "arm-linux-gnueabihf";
    case EM_RISCV:
      return "riscv64-linux-gnu";
    case EM_PPC64:
      return "powerpc64le-linux-gnu";
    case EM_MIPS:
      return elf_class == 64 ? "mips64el-linux-gnuabi64" : "mipsel-linux-gnu";
    case EM_LOONGARCH:
      return "loongarch64-linux-gnu";
    default:
      return "";
  }
}

}  // namespace nixproc::image
