#pragma once
// Writing container images as docker-archive tarballs (the `docker save`
// format that `docker load`, `podman load` and skopeo's docker-archive:
// transport read). Reproducible: the same layers and config give the same
// bytes, whatever the host's clock, umask, locale or source file times.
#include <map>
#include <string>
#include <vector>

namespace nixproc::image {

struct ImageFile {
  enum Kind { Directory, File, Symlink };
  std::string path;  // in the image, relative, no leading '/', '/'-separated, e.g. "usr/bin/nginx"
  Kind kind = File;
  unsigned mode = 0644;  // permission bits incl. setuid/sticky (e.g. 01777 for tmp)
  unsigned uid = 0, gid = 0;
  std::string source;  // File: host path whose content is copied (read at write time), or empty
  std::string data;    // File: inline content when source is empty; Symlink: the target
  // File: its time in the archive, seconds since the epoch; 0: the fixed
  // instant every other entry has. Python compares a module's time with the
  // one its compiled .pyc recorded, so .py files keep theirs.
  long long mtime = 0;
};

struct Layer {
  std::vector<ImageFile> files;
};

struct ImageConfig {
  std::vector<std::string> entrypoint, cmd, env;  // env: "NAME=value"
  std::string working_dir, user, stop_signal;     // empty: not set
  std::map<std::string, std::string> labels;
};

// Writes the archive to `output` atomically (a temporary file in the same
// directory, fsynced and renamed at the end; on any error `output` is as it
// was, usually absent, and every temporary file is removed). repo_tag:
// "name:tag". Layers in order, lowest first; identical layers are stored once.
// Each layer's tar lists its entries in path order, component by component,
// plus every parent directory it does not list (0755, root:root); a listed
// Directory keeps its own mode (set it: the default 0644 suits files).
void write_docker_archive(const std::string& output, const std::string& repo_tag,
                          const std::vector<Layer>& layers, const ImageConfig& config);

// The diff id of a layer ("sha256:<hex>" of its uncompressed tar), as the
// image config lists it. Streams the tar through the hash; writes nothing.
std::string layer_diff_id(const Layer& layer);

// The image config's architecture for this machine in OCI terms ("amd64",
// "arm64", ...), from uname.
std::string image_architecture();

}  // namespace nixproc::image
