#pragma once
// What a switch does: compare the running generation with the new one,
// instance by instance. An instance whose hash is unchanged is never touched.
#include <string>
#include <vector>

#include "backends/backend.h"
#include "deploy/manifest.h"

namespace nixproc {

struct Plan {
  std::vector<const ManifestInstance*> stop;   // from the old manifest, reverse dependency order
  std::vector<const ManifestInstance*> start;  // from the new manifest, dependency order
  std::vector<const ManifestInstance*> keep;   // unchanged and running, from the new manifest
};

// `old_manifest` may be null (nothing deployed). The backends decide which
// instances run at all (sysvinit: those with an S link in the runlevel).
Plan make_plan(const Manifest* old_manifest, const Backend* old_backend, const Manifest& next,
               const Backend& next_backend, const DeployOptions& options);

}  // namespace nixproc
