#pragma once
// The host files a self-contained image needs so that its executables run
// where nothing of the host is visible: their dpkg packages with everything
// those depend on, the ELF libraries and script interpreters they load, and
// every symlink on the way. Debian (dpkg, merged /usr) only. Nix store paths
// are left to the Nix closure, but the host libraries they load are found.
#include <cstdint>
#include <string>
#include <vector>

namespace nixproc::image {

struct ClosureOptions {
  // Keep /usr/share/man, and the man program's package (man-db) when it is
  // installed; otherwise manual pages are dropped like the documentation.
  bool manpages = false;
  // Keep translated messages (/usr/share/locale/*); without them programs
  // speak English. locale.alias stays either way.
  bool translations = false;
  // Keep Python's compiled modules (__pycache__/X.*.pyc beside a kept X.py),
  // which py3compile made outside dpkg's lists. They are used while X.py
  // keeps its modification time, so an image should keep those.
  bool python_bytecode = true;
  // The Nix store: its paths are the Nix closure's and left out here, but
  // the host libraries its programs load are not. Its glibc does not read
  // the host's /etc/ld.so.cache.
  std::string nix_store = "/nix/store";
  // Further canonical path prefixes to leave out ("/usr/share/zoneinfo").
  std::vector<std::string> exclude_prefixes;
};

struct HostFile {
  // Canonical absolute host path: merged-usr aliases mapped (/bin/bash is
  // /usr/bin/bash), no symlink in any directory above it.
  std::string path;
  enum Kind { Directory, File, Symlink } kind = File;
  std::string target;  // Symlink: the target as stored (readlink)
  uint64_t size = 0;   // File: its size when the closure was computed
};

struct HostClosure {
  std::vector<std::string> packages;  // Debian package names included, sorted
  // Sorted by path and unique; every directory above a file (except /) is in
  // it, and the merged-usr links (/bin -> usr/bin, ...) are.
  std::vector<HostFile> files;
  // Library directories of /etc/ld.so.conf that some library of the closure
  // is found in only through /etc/ld.so.cache (the loader's built-in search
  // path lacks them): when not empty the image needs a cache (`ldconfig -r
  // ROOT`). The multiarch directories are built in and need none.
  std::vector<std::string> cache_only_library_dirs;
};

// Throws nixproc::Error naming the executable or package that cannot be
// resolved: an executable that does not exist, a wanted package that is not
// installed (with the apt-get command), a needed library that is not found
// (with the object that needs it), a dependency no installed package satisfies.
HostClosure host_closure(const std::vector<std::string>& executables,
                         const std::vector<std::string>& packages,
                         const ClosureOptions& options = {});

// The files' total size in bytes (regular files only).
uint64_t total_size(const HostClosure& closure);

}  // namespace nixproc::image
