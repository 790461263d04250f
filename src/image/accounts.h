#pragma once
// The users and groups an image's profile declares, written into the
// image's /etc at build time (as useradd and groupadd would add them), so a
// container has them before anything starts.
#include <vector>

#include "deploy/manifest.h"
#include "image/archive.h"

namespace nixproc::image {

// /etc/passwd, group, shadow and gshadow: root, nobody and nogroup, then the
// manifest's groups and users (IDs as declared, else the first free one
// from 1000; a user without a group gets its own, as Debian's useradd
// does), and the home directories users ask to have created, owned by them.
// Throws nixproc::Error for two accounts with one ID.
std::vector<ImageFile> account_files(const Manifest& manifest);

}  // namespace nixproc::image
