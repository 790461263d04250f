#pragma once
// Building a model through the real build step into a temporary store, with
// a runtime whose tools only record how they were called: every argument
// NUL-terminated into $RECORD, then the environment into $RECORD.env.
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "deploy/build.h"
#include "test_support.h"

namespace nixproc::testing {

struct Built {
  BuildOutput output;
  const ManifestInstance& instance(const std::string& key) const {
    return *output.manifest.find(key);
  }
  std::string file(const std::string& key, const std::string& path) const {
    return fs::read_file(instance(key).files.at(path));
  }
  std::string profile(const std::string& path) const { return output.profile_path + "/" + path; }
};

inline void write_recorders(const std::string& bin, std::initializer_list<const char*> tools) {
  fs::make_directories(bin);
  std::string recorder =
      "#!/bin/bash\nprintf '%s\\0' \"$0\" \"$@\" > \"$RECORD\"\nenv -0 > \"$RECORD.env\"\n";
  for (const char* tool : tools) fs::write_file_atomic(bin + "/" + tool, recorder, 0755);
}

// A runtime (the tools a profile's scripts call) made of recorders.
inline void write_recording_runtime(const std::string& runtime) {
  write_recorders(runtime + "/bin", {"nixproc-daemon", "nixproc-chainload-user", "nixproc-pidof",
                                     "nixproc-foreground-proxy", "recorder"});
  fs::make_directories(runtime + "/share");
  fs::write_file_atomic(runtime + "/share/init-functions", "", 0644);
}

// Builds `document` for `pm` into dir/store with the test context; `prepare`
// adjusts the context first (runtime, state dirs, recorders) as a backend's
// tests need.
inline BuildOutput build_output(const TempDir& dir, const json& document, const std::string& pm,
                                bool force_disable_user_change = true,
                                const std::function<void(Context&)>& prepare = {}) {
  model::LoadedModel loaded;
  loaded.evaluated = document;
  loaded.model = parse(document);
  Context context = test_context(dir.path(), force_disable_user_change);
  context.process_manager = pm;
  if (prepare) prepare(context);
  Store store(dir / "store");
  fs::make_directories(store.dir());
  return build_profile(loaded, find_backend(pm), context, store);
}

// With a runtime of recorders (write_recording_runtime).
inline Built build_with(const TempDir& dir, const json& document, const std::string& pm,
                        bool force_disable_user_change = true) {
  return {build_output(dir, document, pm, force_disable_user_change, [&](Context& context) {
    context.runtime = dir / "runtime";
    write_recording_runtime(context.runtime);
  })};
}

// State dirs below `state_dir` instead of the test context's.
inline void use_state_dir(Context& context, const std::string& state_dir, bool force) {
  context.dirs =
      StateDirs::from_params({{"stateDir", state_dir}, {"forceDisableUserChange", force}});
}

inline std::vector<std::string> split_nul(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\0', start);
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace nixproc::testing
