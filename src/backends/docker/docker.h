#pragma once
// docker: every instance runs in its own container, created from a tiny
// per-process image, sharing the host network, the host's /usr (the host
// packages, where the original shares the host /nix/store), nixproc's store
// and the state directory. Deployed with any docker-compatible command line
// tool: docker or podman (reference sections 3.9, 8.15).
#include <string>
#include <vector>

#include "backends/backend.h"

namespace nixproc::docker {

json translate(const model::ManagedProcess& process, const Context& context);
// The original framework's overrides.docker shape -> this backend's fields.
json adapt_override(const json& override_value, const std::string& where);
RenderedInstance render(const RenderInput& input);

extern const Backend backend;

// The docker-compatible tool: --docker-command, else NIXPROC_DOCKER_COMMAND,
// else docker.
std::string docker_command(const DeployOptions& options);

// The root file system every image starts from: /etc/passwd, /etc/group
// (root, nobody, nogroup) and their shadow files, /run, /tmp (1777), /var
// with var/run -> /run, and bin, sbin, lib, lib64 -> usr/... (the host's
// /usr is mounted over usr). A reproducible tar archive: same bytes on every
// call.
const std::string& root_filesystem_tarball();

// The environment every image sets (the run script adds the process's own).
inline constexpr const char* kImagePath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
// Labels that tie an image and a container to the generation that made them.
inline constexpr const char* kImageLabel = "nixproc.image";
inline constexpr const char* kContainerLabel = "nixproc.container";

}  // namespace nixproc::docker
