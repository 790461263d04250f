#pragma once
// `nixproc image`: a whole processes model in one self-contained container
// image (docker-archive), run by nixproc-container-init as PID 1 with the
// process manager below it (docs/images.md; reference section 9).
#include <sys/stat.h>

#include <string>
#include <vector>

#include "image/archive.h"
#include "image/host_closure.h"

namespace nixproc::image {

// Where nixproc's own files are inside every image (an installed layout, so
// locate_installation finds them there).
inline constexpr const char* kImagePrefix = "/usr/local";
inline constexpr const char* kImageLibexec = "/usr/local/libexec/nixproc";
inline constexpr const char* kImageHome = "/var/lib/nixproc";
inline constexpr const char* kImageStore = "/var/lib/nixproc/store";
inline constexpr const char* kImagePath =
    "PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin";

// The process managers an image can run, and what each needs installed.
struct ImageManager {
  const char* name;
  std::vector<std::string> executables;  // host paths the manager runs
};
// Throws nixproc::Error for a process manager no image can run.
const ImageManager& image_manager(const std::string& name);
std::string image_manager_names();

// What the image holds besides the model.
struct ImageOptions {
  bool interactive = true;  // bash, coreutils, procps, less..., a .bashrc with a prompt
  bool manpages = false;
  bool nix = false;                   // Nix inside (nix-bin), with the image's own store
  std::vector<std::string> contents;  // more Debian packages, or host paths to copy
};

// Where a mutable image keeps its model, and the environment variable that
// tells container-init not to deploy it on the first start.
inline constexpr const char* kImageModelDir = "/etc/nixproc";
inline constexpr const char* kNoBootstrapVariable = "NIXPROC_IMAGE_NO_BOOTSTRAP";
// The registration of the Nix store paths an image holds, which
// container-init loads into the image's Nix database on the first start.
inline constexpr const char* kNixRegistration = "/nix/.nixproc-registration";

// The host files and the synthetic ones of the base layer, which every image
// for this process manager and these options shares.
Layer base_layer(const ImageManager& manager, const ImageOptions& options,
                 const std::vector<std::string>& nixproc_executables);

// /etc/passwd, group, shadow, gshadow, nsswitch.conf, the top directories
// and, for interactive images, /root/.bashrc.
std::vector<ImageFile> skeleton_files(bool interactive);

// A .py file's modification time, which its compiled .pyc is checked
// against; 0 (the archive's fixed time) for every other file.
long long python_source_time(const std::string& path, const struct stat& info);

// The files of a host closure as image entries at the same paths, keeping
// modes, owned by root.
void add_host_files(std::vector<ImageFile>& files, const HostClosure& closure);

// Adds every directory and file below the host path `source` as image paths
// below `target` (both absolute), keeping modes, owned by root.
void add_tree(std::vector<ImageFile>& files, const std::string& source, const std::string& target);

}  // namespace nixproc::image
