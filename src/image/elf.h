#pragma once
// What the dynamic loader reads from an ELF file before it runs anything: the
// interpreter and the dynamic section's library names and search paths. Read
// with bounds checks from the file itself, never by running it (ldd can run
// the program's code), so a hostile or truncated file is an error, not a crash.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nixproc::image {

struct ElfInfo {
  int elf_class = 0;                 // 32 or 64
  uint16_t machine = 0;              // e_machine (EM_X86_64, EM_386, ...)
  uint16_t type = 0;                 // e_type (ET_EXEC, ET_DYN, ...)
  std::string interpreter;           // PT_INTERP, "" when static or a library
  std::vector<std::string> needed;   // DT_NEEDED, in order
  std::vector<std::string> rpath;    // DT_RPATH split at ':', unexpanded
  std::vector<std::string> runpath;  // DT_RUNPATH split at ':', unexpanded
  std::string soname;                // DT_SONAME
};

// Whether `bytes` start with the ELF magic.
bool has_elf_magic(std::string_view bytes);

// Parses an ELF image held in memory; nullopt when it is not ELF at all.
// Throws nixproc::Error naming `name` when it is ELF but malformed or of a
// kind the loader here cannot use (big-endian).
std::optional<ElfInfo> parse_elf(std::string_view bytes, const std::string& name);

// The same for a file, reading only the parts it needs (libraries can be
// hundreds of MB). nullopt when not ELF; throws when unreadable or malformed.
std::optional<ElfInfo> read_elf(const std::string& path);

// Only the identification and header: class and machine, enough to tell
// whether a candidate library fits a program. nullopt when not ELF or broken.
std::optional<ElfInfo> read_elf_header(const std::string& path);

// The Debian multiarch triplet of an ELF machine and class
// ("x86_64-linux-gnu"), "" when unknown.
std::string multiarch_triplet(uint16_t machine, int elf_class);

}  // namespace nixproc::image
